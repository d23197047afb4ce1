// The call figures (GetCallStats) from a real PostgreSQL: on a varied set of
// calls they are those of the documented formulas (call_stats.h,
// call_center.proto), and a year of a county's calls is counted without
// bringing the calls into the service's memory.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <latch>
#include <map>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

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

  // Four calls of different shapes under ids starting with `prefix`, their
  // events in arrival order.
  static std::vector<CallEvent> FourCalls(const std::string& prefix) {
    const absl::Time t = kFrom + absl::Hours(9);
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
  }

  // Every column of the calls under ids starting with `prefix` but the id
  // and the time of the write, as JSON, by the rest of the id.
  std::map<std::string, std::string> RowsOf(const std::string& prefix) {
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
// resend (its row derived again from the stored timeline each time), and
// holds the call's facts.
TEST_F(CallStoreTest, ACallsRowIsTheSameInOneBatchOrOneEventABatch) {
  const std::vector<CallEvent> together = FourCalls("one-");
  absl::StatusOr<RecordResult> at_once = store_->RecordEvents(together);
  ASSERT_TRUE(at_once.ok()) << at_once.status();
  EXPECT_EQ(at_once->recorded, static_cast<int>(together.size()));
  EXPECT_EQ(at_once->changes.size(), 4u);

  // The last event first (each call's offered event arrives after its others).
  std::vector<CallEvent> apart = FourCalls("many-");
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

  const std::map<std::string, std::string> one = RowsOf("one-");
  ASSERT_EQ(one.size(), 4u);
  EXPECT_EQ(one, RowsOf("many-"));

  // The facts themselves, column by column (times as seconds after 09:00).
  ASSERT_TRUE(
      pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
        const std::string at =
            absl::FormatTime("%Y-%m-%d %H:%M:%E6S%Ez", kFrom + absl::Hours(9), absl::UTCTimeZone());
        pqxx::row r = tx.exec_params1(
            "SELECT queue, channel, route, extract(epoch FROM offered_at - $2::timestamptz),"
            "  extract(epoch FROM answered_at - $2::timestamptz), agent_id, ring_seconds, "
            "  answer_wait_seconds, transfers, array_to_string(mute_seconds, ','), ended, "
            "  talk_seconds, extract(epoch FROM last_event_at - $2::timestamptz), events, "
            "  waiting, counted_offered, counted_answered_by_agent, counted_talked, "
            "  counted_transfers "
            "FROM intake.calls WHERE call_id = $1",
            "one-answered", at);
        EXPECT_EQ(r[0].as<std::string>(), "repair");
        EXPECT_EQ(r[1].as<std::string>(), "phone");
        EXPECT_EQ(r[2].as<std::string>(), "agent");
        EXPECT_EQ(r[3].as<double>(), 0);
        EXPECT_EQ(r[4].as<double>(), 20);
        EXPECT_EQ(r[5].as<std::string>(), "a-1");
        EXPECT_EQ(r[6].as<int>(), 5);
        EXPECT_EQ(r[7].as<int>(), 20);
        EXPECT_EQ(r[8].as<int>(), 1);
        EXPECT_EQ(r[9].as<std::string>(), "10,45");
        EXPECT_TRUE(r[10].as<bool>());
        EXPECT_EQ(r[11].as<int>(), 120);
        EXPECT_EQ(r[12].as<double>(), 140);
        EXPECT_EQ(r[13].as<int>(), 8);
        EXPECT_FALSE(r[14].as<bool>());
        EXPECT_TRUE(r[15].as<bool>());
        EXPECT_TRUE(r[16].as<bool>());
        EXPECT_TRUE(r[17].as<bool>());
        EXPECT_EQ(r[18].as<int>(), 1);

        pqxx::row w = tx.exec_params1(
            "SELECT waiting, extract(epoch FROM waiting_since - $2::timestamptz), "
            "  abandoned FROM intake.calls WHERE call_id = $1",
            "one-waiting", at);
        EXPECT_TRUE(w[0].as<bool>());
        EXPECT_EQ(w[1].as<double>(), 180 + 2);
        EXPECT_FALSE(w[2].as<bool>());
        pqxx::row g = tx.exec_params1(
            "SELECT abandoned, abandon_stage, abandon_wait_seconds, queue "
            "FROM intake.calls WHERE call_id = $1",
            "one-abandoned");
        EXPECT_TRUE(g[0].as<bool>());
        EXPECT_EQ(g[1].as<std::string>(), "ringing");
        EXPECT_EQ(g[2].as<int>(), 35);
        EXPECT_EQ(g[3].as<std::string>(), "general");
        return absl::OkStatus();
      }).ok());
}

// One batch with a call that has a row (its first events recorded before)
// and a call seen for the first time: both rows come out as if each call's
// events had come at once, the changes in call id order, the known call's
// queue before the batch given.
TEST_F(CallStoreTest, ABatchOfAKnownCallAndANewOneWritesBoth) {
  const std::vector<CallEvent> reference = FourCalls("one-");
  ASSERT_TRUE(store_->RecordEvents(reference).ok());

  std::vector<CallEvent> answered, waiting;
  for (const CallEvent& e : FourCalls("mix-")) {
    if (e.call_id == "mix-answered") {
      answered.push_back(e);
    } else if (e.call_id == "mix-waiting") {
      waiting.push_back(e);
    }
  }
  const std::vector<CallEvent> first(answered.begin(), answered.begin() + 3);
  ASSERT_TRUE(store_->RecordEvents(first).ok());
  std::vector<CallEvent> batch(answered.begin() + 3, answered.end());
  batch.insert(batch.end(), waiting.begin(), waiting.end());
  absl::StatusOr<RecordResult> mixed = store_->RecordEvents(batch);
  ASSERT_TRUE(mixed.ok()) << mixed.status();
  ASSERT_EQ(mixed->changes.size(), 2u);
  EXPECT_EQ(mixed->changes[0].call.call_id, "mix-answered");
  EXPECT_EQ(mixed->changes[0].previous_queue, "repair");
  EXPECT_EQ(mixed->changes[0].call.events, 8);
  EXPECT_FALSE(mixed->changes[0].counts.offered);  // counted with the first batch
  EXPECT_TRUE(mixed->changes[0].counts.talk_seconds.has_value());
  EXPECT_EQ(mixed->changes[1].call.call_id, "mix-waiting");
  EXPECT_EQ(mixed->changes[1].previous_queue, "");
  EXPECT_TRUE(mixed->changes[1].counts.offered);

  const std::map<std::string, std::string> one = RowsOf("one-");
  const std::map<std::string, std::string> mix = RowsOf("mix-");
  ASSERT_EQ(mix.size(), 2u);
  EXPECT_EQ(mix.at("answered"), one.at("answered"));
  EXPECT_EQ(mix.at("waiting"), one.at("waiting"));
}

// Batches recording events of the same new calls at the same moment, on
// connections of their own, each with the calls' offered event (one records
// it, the others send it again): every row comes out as if its call's events
// had come in one batch, and each call's offer is counted once.
TEST_F(CallStoreTest, ConcurrentBatchesOfTheSameNewCallsAgree) {
  ASSERT_TRUE(store_->RecordEvents(FourCalls("one-")).ok());
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    const std::string prefix = absl::StrCat("r", round, "-");
    const std::vector<CallEvent> events = FourCalls(prefix);
    // Batch k holds every call's offered event and its k-th later event.
    std::vector<std::vector<CallEvent>> batches(7);
    std::map<std::string, int> nth;
    for (const CallEvent& e : events) {
      if (e.kind == CallEventKind::kOffered) {
        for (auto& b : batches) {
          b.push_back(e);
        }
      } else {
        batches[nth[e.call_id]++].push_back(e);
      }
    }
    std::latch start(static_cast<std::ptrdiff_t>(batches.size()));
    std::vector<absl::StatusOr<RecordResult>> results(batches.size(),
                                                      absl::UnknownError("not run"));
    std::vector<std::thread> threads;
    for (size_t k = 0; k < batches.size(); ++k) {
      threads.emplace_back([&, k] {
        start.arrive_and_wait();
        results[k] = store_->RecordEvents(batches[k]);
      });
    }
    for (std::thread& t : threads) {
      t.join();
    }
    std::map<std::string, int> offers_counted;
    for (const absl::StatusOr<RecordResult>& r : results) {
      ASSERT_TRUE(r.ok()) << r.status();
      for (const CallChange& change : r->changes) {
        offers_counted[change.call.call_id] += change.counts.offered ? 1 : 0;
      }
    }
    for (const auto& [call_id, n] : offers_counted) {
      EXPECT_EQ(n, 1) << call_id << " in round " << round;
    }
    EXPECT_EQ(RowsOf(prefix), RowsOf("one-")) << "round " << round;
  }
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
