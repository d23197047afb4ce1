// The call figures (GetCallStats) from a real PostgreSQL: on a varied set of
// calls they are those of the documented formulas (call_stats.h,
// call_center.proto), and a year of a county's calls is counted without
// bringing the calls into the service's memory.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "intake_migrations.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "services/intake/calls/domain/call_record.h"
#include "services/intake/calls/domain/call_stats.h"
#include "services/intake/calls/store/call_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::intake {
namespace {

// 2026-07-15 00:00 in Shanghai: the period is that day.
const absl::Time kFrom =
    absl::FromCivil(absl::CivilDay(2026, 7, 15), absl::FixedTimeZone(8 * 3600));
const absl::Time kTo = kFrom + absl::Hours(24);

class CallStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("calls");
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "intake", intake_migrations()).ok());
    store_ = std::make_unique<CallStore>(*pool_);
  }

  // One call's events, `at` seconds after its start.
  class Call {
   public:
    Call(std::vector<CallEvent>& out, std::string id, std::string queue, absl::Time start)
        : out_(out), id_(std::move(id)), queue_(std::move(queue)), start_(start) {}

    Call& Offered(CallRoute route) {
      CallEvent& e = Add(CallEventKind::kOffered, 0);
      e.route = route;
      e.channel = "phone";
      return *this;
    }
    Call& IvrFinished(int at) {
      Add(CallEventKind::kIvrFinished, at).ivr_topic = "outage_notice";
      return *this;
    }
    Call& Queued(int at) {
      Add(CallEventKind::kQueued, at);
      return *this;
    }
    Call& Ringing(int at) {
      Add(CallEventKind::kRinging, at).agent_id = "a-1";
      return *this;
    }
    Call& Answered(int at, int ring_seconds) {
      CallEvent& e = Add(CallEventKind::kAnswered, at);
      e.agent_id = "a-1";
      e.ring_seconds = ring_seconds;
      e.wait_seconds = at;
      return *this;
    }
    Call& Abandoned(int at, AbandonStage stage) {
      CallEvent& e = Add(CallEventKind::kAbandoned, at);
      e.abandon_stage = stage;
      e.wait_seconds = at;
      return *this;
    }
    Call& Transferred(int at) {
      Add(CallEventKind::kTransferred, at).to_queue = "billing";
      return *this;
    }
    Call& Muted(int at, int seconds) {
      CallEvent& e = Add(CallEventKind::kMuted, at);
      e.agent_id = "a-1";
      e.mute_seconds = seconds;
      return *this;
    }
    Call& Ended(int at, int talk_seconds) {
      Add(CallEventKind::kEnded, at).talk_seconds = talk_seconds;
      return *this;
    }

   private:
    CallEvent& Add(CallEventKind kind, int at) {
      CallEvent e;
      e.event_id = absl::StrCat(id_, "-", out_.size());
      e.call_id = id_;
      e.kind = kind;
      e.at = start_ + absl::Seconds(at);
      e.queue = queue_;
      out_.push_back(std::move(e));
      return out_.back();
    }

    std::vector<CallEvent>& out_;
    std::string id_;
    std::string queue_;
    absl::Time start_;
  };

  // The figures by the formulas in memory (ComputeCallStats over each call's
  // record, DeriveCall): what the store must reproduce.
  static CallStats ByTheFormulas(const std::vector<CallEvent>& events, const std::string& queue,
                                 const CallStatsRules& rules) {
    std::map<std::string, std::vector<CallEvent>> by_call;
    for (const CallEvent& e : events) {
      by_call[e.call_id].push_back(e);
    }
    std::vector<CallRecord> in_period;
    for (auto& [id, timeline] : by_call) {
      CallRecord call = DeriveCall(id, timeline);
      if (call.offered() && *call.offered_at >= kFrom && *call.offered_at < kTo &&
          (queue.empty() || call.queue == queue)) {
        in_period.push_back(std::move(call));
      }
    }
    return ComputeCallStats(in_period, rules);
  }

  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<CallStore> store_;
};

TEST_F(CallStoreTest, FiguresOfAVariedDayAreThoseOfTheDocumentedFormulas) {
  std::vector<CallEvent> events;
  const absl::Time t = kFrom + absl::Hours(10);
  // Answered within the 9 s ring threshold, two mutes (one over 30 s).
  Call(events, "c01", "repair", t)
      .Offered(CallRoute::kAgent)
      .Queued(1)
      .Ringing(15)
      .Answered(20, 5)
      .Muted(40, 10)
      .Muted(80, 45)
      .Ended(140, 120);
  // Answered after the threshold, transferred once.
  Call(events, "c02", "repair", t + absl::Minutes(1))
      .Offered(CallRoute::kAgent)
      .Queued(1)
      .Answered(30, 15)
      .Transferred(90)
      .Ended(230, 200);
  // Answered exactly at the threshold (counts as within).
  Call(events, "c03", "repair", t + absl::Minutes(2))
      .Offered(CallRoute::kAgent)
      .Answered(12, 9)
      .Ended(112, 100);
  // Answered and still talking: no talk time yet.
  Call(events, "c04", "repair", t + absl::Minutes(3)).Offered(CallRoute::kAgent).Answered(4, 3);
  // Abandoned while queued, after a short wait.
  Call(events, "c05", "repair", t + absl::Minutes(4))
      .Offered(CallRoute::kAgent)
      .Queued(1)
      .Abandoned(4, AbandonStage::kQueued);
  // Abandoned while ringing, after a long wait.
  Call(events, "c06", "repair", t + absl::Minutes(5))
      .Offered(CallRoute::kAgent)
      .Queued(1)
      .Ringing(80)
      .Abandoned(95, AbandonStage::kRinging);
  // Served by the IVR alone.
  Call(events, "c07", "repair", t + absl::Minutes(6))
      .Offered(CallRoute::kIvr)
      .IvrFinished(40)
      .Ended(41, 0);
  // The IVR, then an agent: a mute just over the limit, two transfers.
  Call(events, "c08", "repair", t + absl::Minutes(7))
      .Offered(CallRoute::kIvr)
      .IvrFinished(30)
      .Queued(31)
      .Answered(40, 2)
      .Muted(60, 31)
      .Transferred(100)
      .Transferred(200)
      .Ended(340, 300);
  // A call with more mutes than an index entry holds (71: one over 30 s).
  {
    Call many(events, "c13", "repair", t + absl::Minutes(9));
    many.Offered(CallRoute::kAgent).Answered(6, 4);
    for (int i = 0; i < 70; ++i) {
      many.Muted(10 + i, 20);
    }
    many.Muted(90, 50).Ended(406, 400);
  }
  // Another queue.
  Call(events, "c09", "general", t + absl::Minutes(8))
      .Offered(CallRoute::kAgent)
      .Answered(3, 1)
      .Ended(63, 60);
  // Outside the period: the second before it, and its end (exclusive).
  Call(events, "c10", "repair", kFrom - absl::Seconds(1))
      .Offered(CallRoute::kAgent)
      .Answered(5, 2)
      .Ended(65, 60);
  Call(events, "c11", "repair", kTo).Offered(CallRoute::kAgent).Answered(5, 2).Ended(65, 60);
  // Never offered (its offered event is missing): not counted.
  Call(events, "c12", "repair", t).Queued(0).Answered(10, 4).Ended(70, 60);

  ASSERT_TRUE(store_->RecordEvents(events).ok());

  const CallStatsRules defaults;
  absl::StatusOr<CallStats> all = store_->LoadStats(kFrom, kTo, "", defaults);
  ASSERT_TRUE(all.ok()) << all.status();
  // By hand, from the definitions in call_center.proto.
  EXPECT_EQ(all->offered, 10);
  EXPECT_EQ(all->asked_for_agent, 9);  // all but the IVR-only call
  EXPECT_EQ(all->answered_by_agent, 7);
  EXPECT_EQ(all->answered_by_ivr, 2);
  EXPECT_EQ(all->abandoned, 2);
  EXPECT_EQ(all->abandoned_while_queued, 1);
  EXPECT_EQ(all->abandoned_while_ringing, 1);
  EXPECT_DOUBLE_EQ(all->human_answer_rate, 7.0 / 9.0);
  EXPECT_EQ(all->answered_within_threshold, 6);
  EXPECT_DOUBLE_EQ(all->answered_within_threshold_share, 6.0 / 7.0);
  EXPECT_EQ(all->talked, 6);
  EXPECT_EQ(all->talk_seconds_total, 120 + 200 + 100 + 300 + 400 + 60);
  EXPECT_DOUBLE_EQ(all->average_talk_seconds, 1180.0 / 6.0);
  EXPECT_EQ(all->transferred, 2);
  EXPECT_DOUBLE_EQ(all->transfer_rate, 2.0 / 7.0);
  EXPECT_EQ(all->mutes, 2 + 1 + 71);
  EXPECT_EQ(all->mutes_over_limit, 3);  // 45, 31 and 50 s
  EXPECT_EQ(all->rules, defaults);
  EXPECT_EQ(*all, ByTheFormulas(events, "", defaults));

  absl::StatusOr<CallStats> repair = store_->LoadStats(kFrom, kTo, "repair", defaults);
  ASSERT_TRUE(repair.ok()) << repair.status();
  EXPECT_EQ(repair->offered, 9);
  EXPECT_EQ(repair->answered_by_agent, 6);
  EXPECT_DOUBLE_EQ(repair->human_answer_rate, 6.0 / 8.0);
  EXPECT_DOUBLE_EQ(repair->average_talk_seconds, 1120.0 / 5.0);
  EXPECT_EQ(*repair, ByTheFormulas(events, "repair", defaults));

  // A request's own thresholds.
  CallStatsRules lenient;
  lenient.ring_threshold_seconds = 15;
  lenient.mute_limit_seconds = 44;
  absl::StatusOr<CallStats> other = store_->LoadStats(kFrom, kTo, "", lenient);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->answered_within_threshold, 7);
  EXPECT_EQ(other->mutes_over_limit, 2);  // 45 and 50 s
  EXPECT_EQ(*other, ByTheFormulas(events, "", lenient));

  // A period with no calls: zeros, not divisions by zero.
  absl::StatusOr<CallStats> none =
      store_->LoadStats(kTo + absl::Hours(1), kTo + absl::Hours(2), "", defaults);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, ByTheFormulas({}, "", defaults));
}

// A field of /proc/self/status, in kB (Linux).
int64_t StatusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream value(line.substr(field.size() + 1));
      int64_t kb = 0;
      value >> kb;
      return kb;
    }
  }
  return -1;
}

TEST_F(CallStoreTest, AnEventIdResentWithOtherContentIsRefusedNamingTheId) {
  const absl::Time start = absl::FromUnixSeconds(1780000000);
  std::vector<CallEvent> first;
  Call(first, "C-1", "repair", start).Offered(CallRoute::kAgent).Queued(3);
  absl::StatusOr<RecordResult> recorded = store_->RecordEvents(first);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->recorded, 2);

  // The same events again: duplicates, taken quietly.
  absl::StatusOr<RecordResult> again = store_->RecordEvents(first);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->duplicates, 2);

  // The id of the first event, now about another call: refused, and nothing
  // of its batch is stored.
  std::vector<CallEvent> forged;
  Call(forged, "C-2", "repair", start).Offered(CallRoute::kAgent).Queued(5);
  forged[0].event_id = first[0].event_id;
  absl::StatusOr<RecordResult> refused = store_->RecordEvents(forged);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  EXPECT_NE(refused.status().message().find(first[0].event_id), absl::string_view::npos)
      << refused.status();
  EXPECT_EQ(store_->LoadTimeline("C-2").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<CallEvent>> timeline = store_->LoadTimeline("C-1");
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ(timeline->front().call_id, "C-1");
}

// A sender that resends inside one batch (the same event twice among other
// calls' events): the first copy is recorded, the second is a duplicate.
TEST_F(CallStoreTest, AnEventRepeatedWithinOneBatchIsRecordedOnce) {
  const absl::Time start = absl::FromUnixSeconds(1780000000);
  std::vector<CallEvent> batch;
  Call(batch, "C-2", "repair", start).Offered(CallRoute::kAgent).Queued(3);
  Call(batch, "C-1", "repair", start).Offered(CallRoute::kAgent);
  const CallEvent resent = batch[0];
  batch.push_back(resent);
  absl::StatusOr<RecordResult> recorded = store_->RecordEvents(batch);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->recorded, 3);
  EXPECT_EQ(recorded->duplicates, 1);
  EXPECT_EQ(recorded->duplicate, (std::vector<bool>{false, false, false, true}));
  EXPECT_EQ(recorded->changes.size(), 2u);
  absl::StatusOr<std::vector<CallEvent>> timeline = store_->LoadTimeline("C-2");
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  EXPECT_EQ(timeline->size(), 2u);
}

// A call's row comes out the same whether all its events came in one batch
// (its row made from them at once) or one by one, out of order and with a
// resend (its row derived again from the stored timeline each time).
TEST_F(CallStoreTest, ACallsRowIsTheSameInOneBatchOrOneEventABatch) {
  const absl::Time t = kFrom + absl::Hours(9);
  auto calls = [&](const std::string& prefix) {
    std::vector<CallEvent> events;
    Call(events, prefix + "answered", "repair", t)
        .Offered(CallRoute::kAgent)
        .Queued(1)
        .Ringing(15)
        .Answered(20, 5)
        .Muted(40, 10)
        .Muted(80, 45)
        .Transferred(100)
        .Ended(140, 120);
    Call(events, prefix + "abandoned", "general", t + absl::Minutes(1))
        .Offered(CallRoute::kAgent)
        .Queued(1)
        .Ringing(30)
        .Abandoned(35, AbandonStage::kRinging);
    Call(events, prefix + "ivr", "repair", t + absl::Minutes(2))
        .Offered(CallRoute::kIvr)
        .IvrFinished(40)
        .Ended(41, 0);
    Call(events, prefix + "waiting", "repair", t + absl::Minutes(3))
        .Offered(CallRoute::kAgent)
        .Queued(2);
    return events;
  };
  const std::vector<CallEvent> together = calls("one-");
  absl::StatusOr<RecordResult> at_once = store_->RecordEvents(together);
  ASSERT_TRUE(at_once.ok()) << at_once.status();
  EXPECT_EQ(at_once->recorded, static_cast<int>(together.size()));
  EXPECT_EQ(at_once->changes.size(), 4u);

  // The last event first (each call's offered event arrives after its others).
  std::vector<CallEvent> apart = calls("many-");
  std::reverse(apart.begin(), apart.end());
  int recorded = 0;
  for (const CallEvent& e : apart) {
    absl::StatusOr<RecordResult> one = store_->RecordEvents({e});
    ASSERT_TRUE(one.ok()) << one.status();
    recorded += one->recorded;
  }
  absl::StatusOr<RecordResult> resent = store_->RecordEvents({apart.front(), apart.back()});
  ASSERT_TRUE(resent.ok()) << resent.status();
  EXPECT_EQ(resent->duplicates, 2);
  EXPECT_EQ(recorded, static_cast<int>(apart.size()));

  // Every column but the id and the time of the write.
  auto rows = [&](const std::string& prefix) {
    std::map<std::string, std::string> by_call;
    EXPECT_TRUE(pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
                  for (const pqxx::row& row :
                       tx.exec_params("SELECT substr(call_id, length($1) + 1), "
                                      "  (to_jsonb(c) - 'call_id' - 'updated_at')::text "
                                      "FROM intake.calls AS c WHERE starts_with(call_id, $1)",
                                      prefix)) {
                    by_call[row[0].as<std::string>()] = row[1].as<std::string>();
                  }
                  return absl::OkStatus();
                }).ok());
    return by_call;
  };
  const std::map<std::string, std::string> one = rows("one-");
  ASSERT_EQ(one.size(), 4u);
  EXPECT_EQ(one, rows("many-"));
  EXPECT_NE(one.at("waiting").find("\"waiting\": true"), std::string::npos) << one.at("waiting");
  EXPECT_NE(one.at("answered").find("\"counted_mutes\": 2"), std::string::npos)
      << one.at("answered");
}

// A county's year (domain.md: 455,739 calls) asked for at once: the service
// must not hold the year's calls in memory to count them (a province's year
// is tens of millions). Measured as the growth of this process's peak
// resident memory during the call.
TEST_F(CallStoreTest, AYearOfACountysCallsIsCountedWithoutHoldingThemInMemory) {
  constexpr int64_t kCalls = 455739;
  const absl::Time year_from = kFrom - absl::Hours(24 * 200);
  const absl::Time year_to = year_from + absl::Hours(24 * 365);
  absl::Status s = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
    // Every sixth call IVR only, every sixth answered... in a regular pattern
    // spread over the year (one call every 69 s).
    tx.exec_params0(
        "INSERT INTO intake.calls (call_id, queue, channel, route, offered_at, asked_for_agent, "
        "  ivr_finished, answered, ring_seconds, abandoned, abandon_stage, transfers, "
        "  mute_seconds, ended, talk_seconds, first_event_at, last_event_at, events) "
        "SELECT 'y' || i, 'repair', 'phone', CASE WHEN i % 6 = 0 THEN 'ivr' ELSE 'agent' END, "
        "  o, i % 6 <> 0, i % 6 = 0, i % 6 NOT IN (0, 5), i % 20, i % 6 = 5, "
        "  CASE WHEN i % 6 = 5 THEN 'queued' ELSE '' END, (i % 50 = 1)::int, "
        "  CASE WHEN i % 10 = 1 THEN '{12,45}'::integer[] ELSE '{}' END, true, "
        "  CASE WHEN i % 6 NOT IN (0, 5) THEN 150 ELSE 0 END, o, o, 4 "
        "FROM generate_series(1, $1::bigint) AS i, "
        "  LATERAL (SELECT $2::timestamptz + i * interval '69 seconds' AS o) AS offered",
        kCalls, absl::FormatTime("%Y-%m-%d %H:%M:%E6S%Ez", year_from, absl::UTCTimeZone()));
    tx.exec0("ANALYZE intake.calls");
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;

  // Resets the peak (VmHWM) to the current resident size.
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.close();
  if (!clear) {
    GTEST_SKIP() << "cannot reset the peak memory (/proc/self/clear_refs)";
  }
  const int64_t resident_kb = StatusKb("VmRSS");
  absl::StatusOr<CallStats> year = store_->LoadStats(year_from, year_to, "", CallStatsRules());
  const int64_t peak_kb = StatusKb("VmHWM");
  ASSERT_TRUE(year.ok()) << year.status();
  EXPECT_EQ(year->offered, kCalls);
  EXPECT_EQ(year->answered_by_agent, kCalls - kCalls / 6 - (kCalls + 1) / 6);
  EXPECT_EQ(year->mutes, 2 * ((kCalls + 9) / 10));
  EXPECT_LT(peak_kb - resident_kb, 16 * 1024)
      << "counting a year of calls took " << (peak_kb - resident_kb) / 1024 << " MB";
}

}  // namespace
}  // namespace hotline::intake
