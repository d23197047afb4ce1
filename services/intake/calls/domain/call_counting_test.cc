#include "services/intake/calls/domain/call_counting.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "services/intake/calls/testdata/call_events.h"

namespace hotline::intake {
namespace {

using testdata::Event;
using testdata::kT0;

std::vector<CallEvent> AgentCall() {
  CallEvent offered = Event("o", CallEventKind::kOffered, 0);
  offered.queue = "repair";
  offered.channel = "phone";
  offered.route = CallRoute::kAgent;
  CallEvent queued = Event("q", CallEventKind::kQueued, 1);
  queued.queue = "repair";
  CallEvent answered = Event("a", CallEventKind::kAnswered, 12);
  answered.agent_id = "A1";
  answered.ring_seconds = 8;
  answered.wait_seconds = 3;
  CallEvent mute1 = Event("m1", CallEventKind::kMuted, 40);
  mute1.mute_seconds = 35;
  CallEvent mute2 = Event("m2", CallEventKind::kMuted, 80);
  mute2.mute_seconds = 10;
  CallEvent transfer = Event("t", CallEventKind::kTransferred, 90);
  transfer.to_queue = "billing";
  CallEvent ended = Event("e", CallEventKind::kEnded, 200);
  ended.talk_seconds = 188;
  return {offered, queued, answered, mute1, mute2, transfer, ended};
}

// What the metrics hold after counting.
struct Tally {
  std::map<std::string, int> counters;
  std::vector<int> ring, wait, talk, mute;
  int transfers = 0;

  void Add(const CallCounts& c) {
    counters["offered/" + c.queue + "/" + c.channel] += c.offered;
    counters["asked/" + c.queue] += c.asked_for_agent;
    counters["agent/" + c.queue] += c.answered_by_agent;
    counters["ivr/" + c.queue] += c.answered_by_ivr;
    counters["abandoned/" + c.queue] += c.abandoned;
    if (c.ring_seconds) {
      ring.push_back(*c.ring_seconds);
    }
    wait.insert(wait.end(), c.wait_seconds.begin(), c.wait_seconds.end());
    if (c.talk_seconds) {
      talk.push_back(*c.talk_seconds);
    }
    mute.insert(mute.end(), c.mute_seconds.begin(), c.mute_seconds.end());
    transfers += c.transfers;
  }
  bool operator==(const Tally& o) const {
    auto sorted = [](std::vector<int> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    std::map<std::string, int> a, b;
    for (const auto& [k, v] : counters) {
      if (v != 0) {
        a[k] = v;
      }
    }
    for (const auto& [k, v] : o.counters) {
      if (v != 0) {
        b[k] = v;
      }
    }
    return a == b && sorted(ring) == sorted(o.ring) && sorted(wait) == sorted(o.wait) &&
           sorted(talk) == sorted(o.talk) && sorted(mute) == sorted(o.mute) &&
           transfers == o.transfers;
  }
};

// Feeds `arrival` one event per transaction, as the store does, and returns
// what the metrics counted.
Tally Replay(const std::vector<CallEvent>& arrival) {
  Tally tally;
  std::vector<CallEvent> stored;
  std::set<std::string> ids;
  CountedFacts counted;
  for (const CallEvent& e : arrival) {
    if (!ids.insert(e.event_id).second) {
      continue;  // a duplicate changes nothing
    }
    stored.push_back(e);
    CountingResult r = CountNewFacts(DeriveCall("C1", stored), counted, {e});
    counted = r.counted;
    tally.Add(r.counts);
  }
  return tally;
}

TEST(CountNewFactsTest, NothingIsCountedBeforeTheOfferedEvent) {
  std::vector<CallEvent> events = AgentCall();
  std::vector<CallEvent> without_offered(events.begin() + 1, events.end());
  CountingResult r =
      CountNewFacts(DeriveCall("C1", without_offered), CountedFacts(), without_offered);
  EXPECT_TRUE(r.counts.empty());
  EXPECT_EQ(r.counted, CountedFacts());
  // When it arrives, everything true so far is counted at once.
  CountingResult all = CountNewFacts(DeriveCall("C1", events), r.counted, {events[0]});
  EXPECT_TRUE(all.counts.offered);
  EXPECT_TRUE(all.counts.asked_for_agent);
  EXPECT_TRUE(all.counts.answered_by_agent);
  EXPECT_EQ(all.counts.ring_seconds, 8);
  EXPECT_EQ(all.counts.wait_seconds, (std::vector<int>{3}));
  EXPECT_EQ(all.counts.talk_seconds, 188);
  EXPECT_EQ(all.counts.transfers, 1);
  EXPECT_EQ(all.counts.mute_seconds, (std::vector<int>{35, 10}));
  EXPECT_EQ(all.counts.queue, "repair");
  EXPECT_EQ(all.counts.channel, "phone");
  EXPECT_EQ(all.counted.mutes, 2);
  // Counting again adds nothing.
  EXPECT_TRUE(CountNewFacts(DeriveCall("C1", events), all.counted, {}).counts.empty());
}

TEST(CountNewFactsTest, EveryArrivalOrderCountsTheSame) {
  const std::vector<CallEvent> events = AgentCall();
  const Tally expected = Replay(events);
  EXPECT_EQ(expected.counters.at("offered/repair/phone"), 1);
  EXPECT_EQ(expected.counters.at("agent/repair"), 1);
  EXPECT_EQ(expected.ring, (std::vector<int>{8}));
  EXPECT_EQ(expected.talk, (std::vector<int>{188}));
  EXPECT_EQ(expected.transfers, 1);
  std::mt19937 random(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<CallEvent> arrival = events;
    arrival.push_back(events[random() % events.size()]);
    arrival.push_back(events[random() % events.size()]);
    std::shuffle(arrival.begin(), arrival.end(), random);
    EXPECT_TRUE(Replay(arrival) == expected) << "round " << round;
  }
}

TEST(CountNewFactsTest, AnAbandonedCallIsCountedOnceWithItsWait) {
  CallEvent offered = Event("o", CallEventKind::kOffered, 0);
  offered.queue = "general";
  offered.channel = "transfer_12345";
  offered.route = CallRoute::kAgent;
  CallEvent abandoned = Event("b", CallEventKind::kAbandoned, 50);
  abandoned.abandon_stage = AbandonStage::kRinging;
  abandoned.wait_seconds = 48;
  Tally t = Replay({abandoned, offered, abandoned});
  EXPECT_EQ(t.counters["abandoned/general"], 1);
  EXPECT_EQ(t.counters["asked/general"], 1);
  EXPECT_EQ(t.counters["agent/general"], 0);
  EXPECT_EQ(t.wait, (std::vector<int>{48}));
}

}  // namespace
}  // namespace hotline::intake
