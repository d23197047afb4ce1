#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <stdexcept>

#include "absl/synchronization/mutex.h"
#include "libs/pg/migrations.h"
#include "libs/pg/notifications.h"
#include "libs/pg/outbox.h"
#include "libs/pg/outbox_relay.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::pg {
namespace {

using ::hotline::testing::NewPostgresDatabase;
using ::hotline::testing::NewPostgresDatabaseOn;
using ::hotline::testing::OwnServers;
using ::hotline::testing::WaitUntil;
using ::testing::HasSubstr;

constexpr char kSchema[] = "intake";

// What receivers got, shared by the deliverers of several relays.
class Receiver {
 public:
  void Record(const OutboxEvent& e) {
    absl::MutexLock lock(&mu_);
    ++delivered_[e.event_id];
    events_[e.event_id] = e;
  }
  size_t distinct() {
    absl::MutexLock lock(&mu_);
    return delivered_.size();
  }
  bool Has(const std::string& id) {
    absl::MutexLock lock(&mu_);
    return delivered_.count(id) > 0;
  }
  int times(const std::string& id) {
    absl::MutexLock lock(&mu_);
    auto it = delivered_.find(id);
    return it == delivered_.end() ? 0 : it->second;
  }
  // Records a whole batch as received; the destination's answer for it.
  DeliveryResults TakeAll(const std::vector<OutboxEvent>& batch) {
    DeliveryResults results;
    for (const OutboxEvent& e : batch) {
      Record(e);
      results[e.id] = absl::OkStatus();
    }
    return results;
  }
  OutboxEvent event(const std::string& id) {
    absl::MutexLock lock(&mu_);
    return events_.at(id);
  }
  int total() {
    absl::MutexLock lock(&mu_);
    int n = 0;
    for (const auto& [id, count] : delivered_) {
      n += count;
    }
    return n;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, int> delivered_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, OutboxEvent> events_ ABSL_GUARDED_BY(mu_);
};

// A deliverer that fails a share of the calls at random ("receiver busy").
OutboxDeliverer Flaky(Receiver& receiver, double failure_rate, int seed) {
  auto rng = std::make_shared<std::mt19937>(seed);
  auto mu = std::make_shared<absl::Mutex>();
  return [&receiver, failure_rate, rng, mu](const OutboxEvent& e) {
    {
      absl::MutexLock lock(mu.get());
      if (std::uniform_real_distribution<double>(0, 1)(*rng) < failure_rate) {
        return absl::UnavailableError("receiver busy");
      }
    }
    receiver.Record(e);
    return absl::OkStatus();
  };
}

RelayOptions Fast(int batch_size = 25) {
  RelayOptions o;
  o.batch_size = batch_size;
  o.poll_interval = absl::Milliseconds(10);
  o.min_backoff = absl::Milliseconds(5);
  o.max_backoff = absl::Milliseconds(50);
  return o;
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Migrate(pool_, kSchema, {}).ok()); }

  // Adds n events, 100 per transaction; returns their ids.
  std::vector<std::string> AddEvents(int n) {
    std::vector<std::string> ids;
    while (static_cast<int>(ids.size()) < n) {
      absl::Status s = WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
        for (int i = 0; i < 100 && static_cast<int>(ids.size()) < n; ++i) {
          absl::StatusOr<std::string> id = AddToOutbox(
              tx, kSchema,
              {"dispatch", "ticket.created", "T" + std::to_string(ids.size()), "payload", ""});
          if (!id.ok()) {
            return id.status();
          }
          ids.push_back(*id);
        }
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
      if (!s.ok()) {
        break;
      }
    }
    return ids;
  }

  int64_t QueryInt(const std::string& sql) {
    pqxx::connection c(uri_);
    pqxx::nontransaction tx(c);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  std::string uri_ = NewPostgresDatabase("outbox");
  Pool pool_{{uri_, 8, absl::Seconds(10)}};
};

TEST_F(OutboxTest, MessagesOfARolledBackTransactionAreNeverDelivered) {
  absl::Status rolled_back = WithTransaction(pool_, [](pqxx::work& tx) -> absl::Status {
    absl::StatusOr<std::string> id =
        AddToOutbox(tx, kSchema, {"dispatch", "ticket.created", "T1", "x", "rolled-back"});
    EXPECT_TRUE(id.ok()) << id.status();
    return absl::FailedPreconditionError("ticket refused");
  });
  ASSERT_EQ(rolled_back.code(), absl::StatusCode::kFailedPrecondition);
  std::vector<std::string> committed = AddEvents(1);
  ASSERT_EQ(committed.size(), 1u);

  Receiver receiver;
  OutboxRelay relay(pool_, kSchema, Flaky(receiver, 0, 1), Fast());
  EXPECT_EQ(relay.RunOnce().value_or(-1), 1);
  EXPECT_EQ(relay.RunOnce().value_or(-1), 0);
  EXPECT_TRUE(receiver.Has(committed[0]));
  EXPECT_FALSE(receiver.Has("rolled-back"));
  EXPECT_EQ(receiver.total(), 1);
  EXPECT_EQ(relay.PendingCount().value_or(-1), 0);
}

TEST_F(OutboxTest, DeliversTheMessageAsWritten) {
  const std::string payload("\x00\x01\xff binary \x00", 12);
  absl::StatusOr<std::string> id = WithTransactionResult<std::string>(pool_, [&](pqxx::work& tx) {
    return AddToOutbox(tx, kSchema, {"survey", "order.resolved", "O-42", payload, ""});
  });
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_THAT(*id, ::testing::MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                           "[0-9a-f]{12}"));
  Receiver receiver;
  OutboxRelay relay(pool_, kSchema, Flaky(receiver, 0, 1), Fast());
  ASSERT_EQ(relay.RunOnce().value_or(-1), 1);
  OutboxEvent e = receiver.event(*id);
  EXPECT_EQ(e.destination, "survey");
  EXPECT_EQ(e.topic, "order.resolved");
  EXPECT_EQ(e.key, "O-42");
  EXPECT_EQ(e.payload, payload);
  EXPECT_EQ(e.attempts, 0);
  EXPECT_LT(absl::AbsDuration(absl::Now() - e.created_at), absl::Minutes(1));
}

TEST_F(OutboxTest, MessagesAddedTogetherAreDeliveredAsWrittenInTheirOrder) {
  const std::string binary("\x00\x01\xff \"{x},\\ \x00", 12);
  std::vector<OutboxMessage> messages = {{"dispatch", "ticket.created", "T-1", binary, "ev-a"},
                                         {"sla", "ticket.created", "T-1", "second", "ev-b"},
                                         {"survey", "ticket.created", "", "", ""}};
  absl::Status added =
      WithTransaction(pool_, [&](pqxx::work& tx) { return AddAllToOutbox(tx, kSchema, messages); });
  ASSERT_TRUE(added.ok()) << added;
  Receiver receiver;
  OutboxRelay relay(pool_, kSchema, Flaky(receiver, 0, 1), Fast());
  ASSERT_EQ(relay.RunOnce().value_or(-1), 3);
  OutboxEvent a = receiver.event("ev-a");
  EXPECT_EQ(a.destination, "dispatch");
  EXPECT_EQ(a.key, "T-1");
  EXPECT_EQ(a.payload, binary);
  OutboxEvent b = receiver.event("ev-b");
  EXPECT_EQ(b.destination, "sla");
  EXPECT_EQ(b.payload, "second");
  EXPECT_LT(a.id, b.id) << "rows are added in the messages' order";
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox WHERE destination = 'survey' AND "
                     "event_id ~ '^[0-9a-f-]{36}$'"),
            1)
      << "an empty event id gets a random one";

  absl::Status again = WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    EXPECT_EQ(AddAllToOutbox(tx, kSchema, {messages[0]}).code(), absl::StatusCode::kAlreadyExists);
    EXPECT_EQ(AddAllToOutbox(tx, kSchema, {{"", "t", "", "", ""}}).code(),
              absl::StatusCode::kInvalidArgument);
    return AddAllToOutbox(tx, kSchema, {});
  });
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox"), 3);
}

TEST_F(OutboxTest, AGivenEventIdIsKeptAndARepeatIsAlreadyExists) {
  absl::Status s = WithTransaction(pool_, [](pqxx::work& tx) -> absl::Status {
    EXPECT_EQ(AddToOutbox(tx, kSchema, {"sla", "clock.start", "", "", "ev-1"}).value_or(""),
              "ev-1");
    EXPECT_EQ(AddToOutbox(tx, kSchema, {"sla", "clock.start", "", "", "ev-1"}).status().code(),
              absl::StatusCode::kAlreadyExists);
    // The transaction is still usable after the refusal.
    return AddToOutbox(tx, kSchema, {"sla", "clock.stop", "", "", "ev-2"}).status();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox"), 2);
}

TEST_F(OutboxTest, RefusesMessagesWithoutDestinationOrTopic) {
  absl::Status s = WithTransaction(pool_, [](pqxx::work& tx) -> absl::Status {
    absl::Status no_destination = AddToOutbox(tx, kSchema, {"", "t", "", "", ""}).status();
    EXPECT_EQ(no_destination.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(no_destination.message(), HasSubstr("destination"));
    EXPECT_EQ(AddToOutbox(tx, kSchema, {"d", "", "", "", ""}).status().code(),
              absl::StatusCode::kInvalidArgument);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(OutboxTest, EveryEventIsDeliveredAtLeastOnceAcrossARelayRestart) {
  std::vector<std::string> ids = AddEvents(500);
  ASSERT_EQ(ids.size(), 500u);
  Receiver receiver;

  // The first relay loses a fifth of its deliveries, and after 150 the
  // receiver goes away entirely; it is stopped with work left.
  std::atomic<int> first_ok{0};
  OutboxDeliverer flaky = Flaky(receiver, 0.2, 7);
  auto first = std::make_unique<OutboxRelay>(
      pool_, kSchema,
      [&](const OutboxEvent& e) {
        if (first_ok.load() >= 150) {
          return absl::UnavailableError("receiver down");
        }
        absl::Status s = flaky(e);
        first_ok += s.ok() ? 1 : 0;
        return s;
      },
      Fast());
  first->Start();
  ASSERT_TRUE(WaitUntil([&] { return first_ok.load() >= 150; }, std::chrono::seconds(30)));
  first->Stop();
  first.reset();
  EXPECT_GT(QueryInt("SELECT count(*) FROM intake.outbox WHERE delivered_at IS NULL"), 0);

  // A new relay (as after a crash or redeploy) finishes the job.
  OutboxRelay second(pool_, kSchema, Flaky(receiver, 0.2, 8), Fast());
  second.Start();
  EXPECT_TRUE(
      WaitUntil([&] { return receiver.distinct() >= ids.size(); }, std::chrono::seconds(60)));
  second.Stop();
  for (const std::string& id : ids) {
    EXPECT_TRUE(receiver.Has(id)) << id;
  }
  EXPECT_EQ(second.PendingCount().value_or(-1), 0);
  // The failures were recorded and retried.
  EXPECT_GT(QueryInt("SELECT count(*) FROM intake.outbox WHERE attempts > 1"), 0);
}

TEST_F(OutboxTest, TwoRelaysOnOneTableDeliverEverythingAndNothingTwice) {
  std::vector<std::string> ids = AddEvents(500);
  ASSERT_EQ(ids.size(), 500u);
  Receiver receiver;
  OutboxRelay a(pool_, kSchema, Flaky(receiver, 0.1, 1), Fast(10));
  OutboxRelay b(pool_, kSchema, Flaky(receiver, 0.1, 2), Fast(10));
  a.Start();
  b.Start();
  EXPECT_TRUE(
      WaitUntil([&] { return receiver.distinct() >= ids.size(); }, std::chrono::seconds(60)));
  a.Stop();
  b.Stop();
  for (const std::string& id : ids) {
    // SKIP LOCKED hands each row to one relay at a time: with no crash, no
    // event is successfully delivered twice.
    EXPECT_EQ(receiver.times(id), 1) << id;
  }
  EXPECT_EQ(a.PendingCount().value_or(-1), 0);
}

TEST_F(OutboxTest, AFailedDeliveryWaitsForItsBackoff) {
  std::vector<std::string> ids = AddEvents(1);
  std::atomic<int> calls{0};
  RelayOptions slow = Fast();
  slow.min_backoff = absl::Minutes(1);
  slow.max_backoff = absl::Minutes(10);
  OutboxRelay relay(
      pool_, kSchema,
      [&](const OutboxEvent&) {
        ++calls;
        return absl::UnavailableError("dispatch unreachable");
      },
      slow);
  EXPECT_EQ(relay.RunOnce().value_or(-1), 0);
  EXPECT_EQ(relay.RunOnce().value_or(-1), 0);
  EXPECT_EQ(calls.load(), 1) << "retried before its backoff";
  EXPECT_EQ(QueryInt("SELECT attempts FROM intake.outbox"), 1);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox WHERE last_error LIKE "
                     "'%dispatch unreachable%'"),
            1);
  // Jitter keeps the delay within [min/2, min].
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox WHERE next_attempt_at BETWEEN "
                     "now() + interval '25 seconds' AND now() + interval '61 seconds'"),
            1);
  EXPECT_EQ(relay.PendingCount().value_or(-1), 1);
}

TEST_F(OutboxTest, FailedDeliveriesAreRetriedUntilTheyGetThrough) {
  std::vector<std::string> ids = AddEvents(1);
  std::vector<absl::Time> call_times;
  std::vector<int> seen_attempts;
  RelayOptions options = Fast();
  options.min_backoff = absl::Milliseconds(40);
  options.max_backoff = absl::Seconds(1);
  Receiver receiver;
  OutboxRelay relay(
      pool_, kSchema,
      [&](const OutboxEvent& e) {
        call_times.push_back(absl::Now());
        seen_attempts.push_back(e.attempts);
        if (call_times.size() <= 2) {
          throw std::runtime_error("receiver crashed");  // a throw counts as a failure
        }
        receiver.Record(e);
        return absl::OkStatus();
      },
      options);
  EXPECT_TRUE(WaitUntil([&] {
    (void)relay.RunOnce();
    return receiver.Has(ids[0]);
  }));
  EXPECT_EQ(seen_attempts, (std::vector<int>{0, 1, 2}));
  ASSERT_EQ(call_times.size(), 3u);
  // Backoff 40 ms then 80 ms, each at least halved by jitter.
  EXPECT_GE(call_times[1] - call_times[0], absl::Milliseconds(20));
  EXPECT_GE(call_times[2] - call_times[1], absl::Milliseconds(40));
  EXPECT_EQ(QueryInt("SELECT attempts FROM intake.outbox"), 3);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox WHERE delivered_at IS NOT NULL "
                     "AND last_error IS NULL"),
            1);
}

TEST_F(OutboxTest, StopIsPromptAndWakeSkipsThePollInterval) {
  Receiver receiver;
  RelayOptions lazy = Fast();
  lazy.poll_interval = absl::Minutes(10);
  OutboxRelay relay(pool_, kSchema, Flaky(receiver, 0, 1), lazy);
  std::vector<std::string> before = AddEvents(1);
  relay.Start();
  ASSERT_TRUE(WaitUntil([&] { return receiver.Has(before[0]); }));

  std::vector<std::string> after = AddEvents(1);
  relay.Wake();
  EXPECT_TRUE(WaitUntil([&] { return receiver.Has(after[0]); }, std::chrono::seconds(5)));

  absl::Time start = absl::Now();
  relay.Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST_F(OutboxTest, PurgeDeletesOnlyDeliveredRows) {
  Receiver receiver;
  OutboxRelay relay(pool_, kSchema, Flaky(receiver, 0, 1), Fast());
  AddEvents(3);
  ASSERT_EQ(relay.RunOnce().value_or(-1), 3);
  AddEvents(2);
  EXPECT_EQ(relay.PurgeDelivered(absl::Hours(1)).value_or(-1), 0);
  EXPECT_EQ(relay.PurgeDelivered(absl::ZeroDuration()).value_or(-1), 3);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox"), 2);
  EXPECT_EQ(relay.PendingCount().value_or(-1), 2);
}

TEST_F(OutboxTest, ABatchLeasedByOneRelayIsNotSentByAnotherUntilTheLeaseEnds) {
  std::vector<std::string> ids = AddEvents(3);
  Receiver receiver;
  OutboxRelay other(pool_, kSchema, Flaky(receiver, 0, 2), Fast());
  int seen_by_other = -1;
  OutboxRelay first(
      pool_, kSchema,
      [&](const std::string&,
          const std::vector<OutboxEvent>& batch) -> absl::StatusOr<DeliveryResults> {
        // While this relay holds the batch, the other finds nothing to send.
        seen_by_other = other.RunOnce().value_or(-1);
        return receiver.TakeAll(batch);
      },
      Fast());
  ASSERT_EQ(first.RunOnce().value_or(-1), 3);
  EXPECT_EQ(seen_by_other, 0);
  for (const std::string& id : ids) {
    EXPECT_EQ(receiver.times(id), 1) << id;
  }

  // A relay that died holding a lease: its rows wait for the lease to end,
  // then go.
  std::vector<std::string> more = AddEvents(2);
  ASSERT_EQ(QueryInt("WITH u AS (UPDATE intake.outbox SET leased_until = now() + "
                     "interval '300 milliseconds' WHERE delivered_at IS NULL RETURNING 1) "
                     "SELECT count(*) FROM u"),
            2);
  EXPECT_EQ(other.RunOnce().value_or(-1), 0);
  EXPECT_TRUE(WaitUntil([&] { return other.RunOnce().value_or(0) > 0 || receiver.Has(more[1]); }));
  EXPECT_TRUE(receiver.Has(more[0]));
  EXPECT_TRUE(receiver.Has(more[1]));
}

TEST_F(OutboxTest, AnUnreachableDestinationGetsItsBacklogAtOnceWhenItAnswersAgain) {
  std::vector<std::string> ids = AddEvents(30);
  std::atomic<bool> reachable{false};
  std::atomic<int> calls{0};
  Receiver receiver;
  RelayOptions options = Fast(10);
  options.destinations = {"dispatch"};
  options.min_backoff = absl::Minutes(5);  // per-event backoff must not apply here
  options.max_backoff = absl::Minutes(10);
  options.max_destination_backoff = absl::Milliseconds(200);
  OutboxRelay relay(
      pool_, kSchema,
      [&](const std::string&,
          const std::vector<OutboxEvent>& batch) -> absl::StatusOr<DeliveryResults> {
        ++calls;
        if (!reachable) {
          return absl::UnavailableError("connection refused");
        }
        return receiver.TakeAll(batch);
      },
      options);
  EXPECT_EQ(relay.RunOnce().status().code(), absl::StatusCode::kUnavailable);
  // Nothing was put off: the rows stay due, their lease released, the error kept.
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox WHERE next_attempt_at <= now() "
                     "AND leased_until IS NULL"),
            30);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM intake.outbox WHERE last_error LIKE "
                     "'%connection refused%'"),
            10);

  relay.Start();
  ASSERT_TRUE(WaitUntil([&] { return calls.load() >= 4; }));
  const absl::Time back = absl::Now();
  reachable = true;
  ASSERT_TRUE(
      WaitUntil([&] { return receiver.distinct() == ids.size(); }, std::chrono::seconds(10)));
  // Within the destination backoff (200 ms) plus the sending, far below the
  // per-event backoff of minutes.
  EXPECT_LT(absl::Now() - back, absl::Seconds(5));
  relay.Stop();
}

TEST_F(OutboxTest, OneUnreachableDestinationDoesNotHoldUpAnother) {
  std::vector<std::string> for_dispatch = AddEvents(5);
  std::vector<std::string> for_sla;
  ASSERT_TRUE(WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
                for (int i = 0; i < 5; ++i) {
                  HOTLINE_ASSIGN_OR_RETURN(std::string id,
                                           AddToOutbox(tx, kSchema, {"sla", "t", "", "", ""}));
                  for_sla.push_back(id);
                }
                return absl::OkStatus();
              }).ok());
  Receiver receiver;
  RelayOptions options = Fast();
  options.destinations = {"dispatch", "sla"};
  OutboxRelay relay(
      pool_, kSchema,
      [&](const std::string& destination,
          const std::vector<OutboxEvent>& batch) -> absl::StatusOr<DeliveryResults> {
        if (destination == "dispatch") {
          return absl::UnavailableError("dispatch down");
        }
        return receiver.TakeAll(batch);
      },
      options);
  relay.Start();
  EXPECT_TRUE(WaitUntil([&] { return receiver.distinct() == for_sla.size(); }));
  relay.Stop();
  for (const std::string& id : for_dispatch) {
    EXPECT_FALSE(receiver.Has(id));
  }
}

TEST_F(OutboxTest, ACommitNotifiesListenersSoTheRelayNeedNotPoll) {
  Receiver receiver;
  RelayOptions lazy = Fast();
  lazy.destinations = {"dispatch"};
  lazy.poll_interval = absl::Minutes(10);
  OutboxRelay relay(pool_, kSchema, Flaky(receiver, 0, 1), lazy);
  NotificationListener listener(uri_);
  std::atomic<int> heard{0};
  listener.Listen(OutboxChannel(kSchema), [&](const std::string& destination) {
    ++heard;
    relay.Wake(destination);
  });
  listener.Start();
  relay.Start();
  // The listener says "look now" once connected; wait for that first look.
  ASSERT_TRUE(WaitUntil([&] { return heard.load() >= 1; }));
  std::vector<std::string> ids = AddEvents(1);
  EXPECT_TRUE(WaitUntil([&] { return receiver.Has(ids[0]); }, std::chrono::seconds(5)))
      << "the commit's NOTIFY should have woken the relay long before its 10-minute poll";
  relay.Stop();
  listener.Stop();
}

TEST_F(OutboxTest, ReadsTheBacklogPerDestination) {
  AddEvents(4);
  absl::StatusOr<std::map<std::string, OutboxBacklog>> backlog = ReadOutboxBacklog(pool_, kSchema);
  ASSERT_TRUE(backlog.ok()) << backlog.status();
  ASSERT_EQ(backlog->count("dispatch"), 1u);
  EXPECT_EQ(backlog->at("dispatch").pending, 4);
  EXPECT_GE(backlog->at("dispatch").oldest_age, absl::ZeroDuration());
  EXPECT_LT(backlog->at("dispatch").oldest_age, absl::Minutes(1));
}

TEST(OutboxRelayRestartTest, PostgresBeingDownOnlyDelaysDelivery) {
  auto servers = OwnServers::Start();
  ASSERT_TRUE(servers.ok()) << servers.status();
  Pool pool({NewPostgresDatabaseOn((*servers)->pg_admin_uri(), "outbox"), 2, absl::Seconds(2)});
  ASSERT_TRUE(Migrate(pool, kSchema, {}).ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(
      WithTransaction(pool, [&](pqxx::work& tx) -> absl::Status {
        for (int i = 0; i < 20; ++i) {
          absl::StatusOr<std::string> id = AddToOutbox(tx, kSchema, {"dispatch", "t", "", "", ""});
          if (!id.ok()) {
            return id.status();
          }
          ids.push_back(*id);
        }
        return absl::OkStatus();
      }).ok());

  ASSERT_TRUE((*servers)->StopPostgres().ok());
  Receiver receiver;
  OutboxRelay relay(pool, kSchema, Flaky(receiver, 0, 1), Fast());
  EXPECT_EQ(relay.RunOnce().status().code(), absl::StatusCode::kUnavailable);
  relay.Start();  // keeps trying while the server is down
  ASSERT_TRUE((*servers)->StartPostgres().ok());
  EXPECT_TRUE(
      WaitUntil([&] { return receiver.distinct() == ids.size(); }, std::chrono::seconds(30)));
  relay.Stop();
}

}  // namespace
}  // namespace hotline::pg
