#include "services/intake/calls/domain/call_stats.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace hotline::intake {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1780000000);

CallRecord Offered(std::string id) {
  CallRecord c;
  c.call_id = std::move(id);
  c.queue = "repair";
  c.offered_at = kT0;
  return c;
}

CallRecord AgentAnswered(std::string id, int ring, int talk, int transfers = 0,
                         std::vector<int> mutes = {}) {
  CallRecord c = Offered(std::move(id));
  c.asked_for_agent = true;
  c.answered = true;
  c.ring_seconds = ring;
  c.ended = true;
  c.talk_seconds = talk;
  c.transfers = transfers;
  c.mute_seconds = std::move(mutes);
  return c;
}

CallRecord Abandoned(std::string id, AbandonStage stage) {
  CallRecord c = Offered(std::move(id));
  c.asked_for_agent = true;
  c.abandoned = true;
  c.abandon_stage = stage;
  c.ended = true;
  return c;
}

CallRecord Ivr(std::string id) {
  CallRecord c = Offered(std::move(id));
  c.ivr_finished = true;
  c.ended = true;
  return c;
}

TEST(CallStatsTest, NoCallsGiveZerosNotDivisionsByZero) {
  CallStats stats = ComputeCallStats({}, CallStatsRules());
  EXPECT_EQ(stats.offered, 0);
  EXPECT_EQ(stats.human_answer_rate, 0);
  EXPECT_EQ(stats.answered_within_threshold_share, 0);
  EXPECT_EQ(stats.average_talk_seconds, 0);
  EXPECT_EQ(stats.transfer_rate, 0);
  EXPECT_EQ(stats.rules.ring_threshold_seconds, 9);
  EXPECT_EQ(stats.rules.mute_limit_seconds, 30);
}

TEST(CallStatsTest, EachFormulaOnAHandMadeSet) {
  std::vector<CallRecord> calls = {
      AgentAnswered("a1", 3, 100),
      AgentAnswered("a2", 9, 200, 1, {30}),      // ring exactly at the threshold: in time
      AgentAnswered("a3", 10, 150, 2, {31, 5}),  // 10 s: late; one mute over 30 s
      AgentAnswered("a4", 20, 150),
      Abandoned("b1", AbandonStage::kQueued),
      Ivr("i1"),
      Ivr("i2"),
  };
  // Answered, not ended yet: counts as answered but not in the talk average.
  CallRecord talking = AgentAnswered("a5", 2, 0);
  talking.ended = false;
  calls.push_back(talking);
  // Not offered yet: not in any figure.
  CallRecord early = AgentAnswered("x", 1, 1000);
  early.offered_at.reset();
  calls.push_back(early);

  CallStats s = ComputeCallStats(calls, CallStatsRules());
  EXPECT_EQ(s.offered, 8);
  EXPECT_EQ(s.asked_for_agent, 6);
  EXPECT_EQ(s.answered_by_agent, 5);
  EXPECT_EQ(s.answered_by_ivr, 2);
  EXPECT_EQ(s.abandoned, 1);
  EXPECT_EQ(s.abandoned_while_queued, 1);
  EXPECT_EQ(s.abandoned_while_ringing, 0);
  EXPECT_DOUBLE_EQ(s.human_answer_rate, 5.0 / 6.0);
  EXPECT_EQ(s.answered_within_threshold, 3);  // 3, 9 and 2 seconds
  EXPECT_DOUBLE_EQ(s.answered_within_threshold_share, 3.0 / 5.0);
  EXPECT_EQ(s.talked, 4);
  EXPECT_EQ(s.talk_seconds_total, 600);
  EXPECT_DOUBLE_EQ(s.average_talk_seconds, 150.0);
  EXPECT_EQ(s.transferred, 2);  // calls with a transfer, not transfers
  EXPECT_DOUBLE_EQ(s.transfer_rate, 2.0 / 5.0);
  EXPECT_EQ(s.mutes, 3);
  EXPECT_EQ(s.mutes_over_limit, 1);  // 31 s; 30 s is within the limit
}

TEST(CallStatsTest, ThresholdsAreSettings) {
  std::vector<CallRecord> calls = {AgentAnswered("a1", 12, 60, 0, {20}),
                                   AgentAnswered("a2", 15, 60)};
  CallStatsRules strict;
  strict.ring_threshold_seconds = 12;
  strict.mute_limit_seconds = 10;
  CallStats s = ComputeCallStats(calls, strict);
  EXPECT_EQ(s.answered_within_threshold, 1);
  EXPECT_EQ(s.mutes_over_limit, 1);
  EXPECT_EQ(s.rules, strict);
  CallStats defaults = ComputeCallStats(calls, CallStatsRules());
  EXPECT_EQ(defaults.answered_within_threshold, 0);
  EXPECT_EQ(defaults.mutes_over_limit, 0);
}

// The 2004 county year of domain.md, scaled to one day: 455,739 calls a
// year; 72,500 served by the voice line, 374,930 answered by an agent, 8,309
// asked for an agent and were not answered.
TEST(CallStatsTest, TheCountyYearScaledToADay) {
  const int ivr = 199;        // 72,500 / 365 = 198.6
  const int answered = 1027;  // 374,930 / 365 = 1,027.2
  const int lost = 23;        // 8,309 / 365 = 22.8
  std::vector<CallRecord> calls;
  for (int i = 0; i < ivr; ++i) {
    calls.push_back(Ivr(absl::StrCat("i", i)));
  }
  for (int i = 0; i < answered; ++i) {
    calls.push_back(AgentAnswered(absl::StrCat("a", i), 5, 150));
  }
  for (int i = 0; i < lost; ++i) {
    calls.push_back(Abandoned(absl::StrCat("b", i), AbandonStage::kRinging));
  }
  CallStats s = ComputeCallStats(calls, CallStatsRules());
  EXPECT_EQ(s.offered, 1249);
  EXPECT_EQ(s.asked_for_agent, 1050);
  EXPECT_DOUBLE_EQ(s.human_answer_rate, 1027.0 / 1050.0);
  // The year's own rate, 374,930 / (374,930 + 8,309) = 97.83%, survives the scaling.
  EXPECT_NEAR(s.human_answer_rate, 374930.0 / (374930.0 + 8309.0), 0.001);
  EXPECT_EQ(s.abandoned_while_ringing, 23);
}

}  // namespace
}  // namespace hotline::intake
