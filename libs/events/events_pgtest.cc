// Events between two services' schemas over real gRPC and PostgreSQL:
// published in the sender's transaction, relayed at least once, applied once.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/server_credentials.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <random>

#include "absl/strings/str_cat.h"
#include "hotline/common/v1/common.pb.h"
#include "libs/auth/token_store.h"
#include "libs/events/delivery.h"
#include "libs/events/event_sink_service.h"
#include "libs/events/publisher.h"
#include "libs/pg/migrations.h"
#include "libs/pg/outbox_relay.h"
#include "libs/pg/transaction.h"
#include "libs/rpc/handler_pool.h"
#include "libs/rpc/server.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::events {
namespace {

constexpr char kServiceToken[] = "events-test-service-token";

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{testing::NewPostgresDatabase("events")});
    ASSERT_TRUE(pg::Migrate(*pool_, "sender", {}).ok());
    ASSERT_TRUE(pg::Migrate(*pool_, "receiver",
                            {{1, "applied",
                              "CREATE TABLE applied (ticket_id text NOT NULL, "
                              "event_id text NOT NULL, "
                              "tx bigint NOT NULL DEFAULT txid_current())"}})
                    .ok());
    auto tokens = auth::TokenStore::Parse(absl::StrCat(
        auth::HashToken(kServiceToken), " service sender\n", auth::HashToken("agent-token"),
        " agent someone\n", auth::HashToken("admin-token"), " admin operator\n"));
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    tokens_ = std::make_unique<auth::TokenStore>(std::move(*tokens));
    sink_ = std::make_unique<EventSinkService>(*pool_, "receiver", *tokens_, handlers_);
    sink_->Subscribe("ticket.created", [this](pqxx::work& tx, const common::v1::Event& event) {
      common::v1::TicketRef ref;
      if (!event.payload().UnpackTo(&ref)) {
        return absl::InvalidArgumentError("payload is not a TicketRef");
      }
      tx.exec_params0("INSERT INTO receiver.applied (ticket_id, event_id) VALUES ($1, $2)",
                      ref.ticket_id(), event.event_id());
      sequences_.push_back(event.sequence());
      AfterCommit([this] { ++after_commits_; });
      if (ref.ticket_id() == fail_ticket_) {
        return absl::FailedPreconditionError("this ticket is refused");
      }
      // Fail after writing, now and then: the write must roll back with it.
      if (fail_one_in_ > 0 && std::rand() % fail_one_in_ == 0) {
        return absl::UnavailableError("handler failed on purpose");
      }
      return absl::OkStatus();
    });
    rpc::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.credentials = grpc::InsecureServerCredentials();
    auto server = rpc::RpcServer::Start(std::move(options), {sink_.get()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_) {
      server_->Shutdown();
    }
  }

  absl::Status PublishTicket(const std::string& ticket_id, bool commit) {
    absl::Status status = pg::WithTransaction(
        *pool_,
        [&](pqxx::work& tx) -> absl::Status {
          common::v1::TicketRef ref;
          ref.set_ticket_id(ticket_id);
          absl::Status published =
              Publish(tx, "sender", {"receiver"}, "ticket.created", ticket_id, ref);
          if (!published.ok()) {
            return published;
          }
          return commit ? absl::OkStatus() : absl::AbortedError("rolled back on purpose");
        },
        pg::TransactionOptions{1});
    return commit ? status : absl::OkStatus();
  }

  // The rows of the sender's outbox as its relay hands them over, not delivered.
  std::vector<pg::OutboxEvent> PendingRows() {
    std::vector<pg::OutboxEvent> rows;
    pg::OutboxRelay capture(
        *pool_, "sender",
        [&](const pg::OutboxEvent& row) {
          rows.push_back(row);
          return absl::UnavailableError("only capturing");
        },
        pg::RelayOptions());
    (void)capture.RunOnce();
    return rows;
  }

  int Count(const std::string& sql) {
    pqxx::connection c(pool_->options().uri);
    pqxx::nontransaction tx(c);
    return tx.exec1(sql)[0].as<int>();
  }

  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<auth::TokenStore> tokens_;
  rpc::HandlerPool handlers_{{2, 64}};
  std::unique_ptr<EventSinkService> sink_;
  std::unique_ptr<rpc::RpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  int fail_one_in_ = 0;
  std::string fail_ticket_;             // the handler refuses this ticket's events
  std::atomic<int> after_commits_ = 0;  // AfterCommit actions run
  std::vector<int64_t> sequences_;      // as applied (one handler thread at a time here)
};

pg::BatchDeliverer Through(PeerDeliverer& deliverer) {
  return [&deliverer](const std::string& destination, const std::vector<pg::OutboxEvent>& batch) {
    return deliverer.Deliver(destination, batch);
  };
}

TEST_F(EventsTest, EveryCommittedEventIsAppliedOnceAndRolledBackOnesNever) {
  // The relay's own deliveries fail now and then too (the handler fails
  // after writing), and the relay is restarted midway.
  fail_one_in_ = 5;
  constexpr int kEvents = 200;
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_TRUE(PublishTicket(absl::StrCat("T", i), /*commit=*/i % 10 != 7).ok());
  }
  PeerDeliverer deliverer({{"receiver", channel_}}, kServiceToken);
  pg::RelayOptions fast;
  fast.poll_interval = absl::Milliseconds(20);
  fast.min_backoff = absl::Milliseconds(10);
  fast.max_backoff = absl::Milliseconds(50);
  pg::BatchDeliverer deliver = Through(deliverer);
  {
    pg::OutboxRelay first(*pool_, "sender", deliver, fast);
    ASSERT_TRUE(first.RunOnce().ok());
  }
  pg::OutboxRelay second(*pool_, "sender", deliver, fast);
  second.Start();
  ASSERT_TRUE(testing::WaitUntil([&] { return second.PendingCount().value_or(1) == 0; },
                                 std::chrono::seconds(30)));
  second.Stop();

  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied"), kEvents - 20);
  EXPECT_EQ(Count("SELECT count(*) FROM (SELECT ticket_id FROM receiver.applied "
                  "GROUP BY ticket_id HAVING count(*) > 1) d"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied WHERE ticket_id = 'T7'"), 0);
}

TEST_F(EventsTest, ARedeliveredEventIsAcknowledgedButNotAppliedAgain) {
  ASSERT_TRUE(PublishTicket("T1", true).ok());
  PeerDeliverer deliverer({{"receiver", channel_}}, kServiceToken);
  std::vector<pg::OutboxEvent> rows;
  pg::OutboxRelay relay(
      *pool_, "sender",
      [&](const std::string& destination, const std::vector<pg::OutboxEvent>& batch) {
        rows = batch;
        return deliverer.Deliver(destination, batch);
      });
  ASSERT_EQ(relay.RunOnce().value_or(-1), 1);
  ASSERT_EQ(rows.size(), 1u);
  // The sender did not hear the answer and sends the same row again.
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<pg::DeliveryResults> again = deliverer.Deliver("receiver", rows);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_TRUE(again->at(rows[0].id).ok());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied"), 1);
}

TEST_F(EventsTest, AnEventTwiceInOneBatchIsAppliedOnce) {
  ASSERT_TRUE(PublishTicket("T1", true).ok());
  ASSERT_TRUE(PublishTicket("T2", true).ok());
  std::vector<pg::OutboxEvent> rows = PendingRows();
  ASSERT_EQ(rows.size(), 2u);
  rows.push_back(rows[0]);
  PeerDeliverer deliverer({{"receiver", channel_}}, kServiceToken);
  absl::StatusOr<pg::DeliveryResults> sent = deliverer.Deliver("receiver", rows);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_TRUE(sent->at(rows[0].id).ok());
  EXPECT_TRUE(sent->at(rows[1].id).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied WHERE ticket_id = 'T1'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied WHERE ticket_id = 'T2'"), 1);
  // Both in the batch's one transaction, not one by one after a failed batch.
  EXPECT_EQ(Count("SELECT count(DISTINCT tx) FROM receiver.applied"), 1);
}

TEST_F(EventsTest, OnlyServiceTokensMayDeliver) {
  ASSERT_TRUE(PublishTicket("T1", true).ok());
  std::vector<pg::OutboxEvent> rows = PendingRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(PeerDeliverer({{"receiver", channel_}}, "agent-token")
                .Deliver("receiver", rows)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      PeerDeliverer({{"receiver", channel_}}, "forged").Deliver("receiver", rows).status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(PeerDeliverer({}, kServiceToken).Deliver("receiver", rows).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied"), 0);
}

TEST_F(EventsTest, ABatchGoesInOneCallInSequenceOrderAndRefusalsKeepTheirReason) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(PublishTicket(absl::StrCat("T", i), true).ok());
  }
  PeerDeliverer deliverer({{"receiver", channel_}}, kServiceToken);
  int calls = 0;
  std::vector<int64_t> row_ids;
  pg::OutboxRelay relay(
      *pool_, "sender",
      [&](const std::string& destination, const std::vector<pg::OutboxEvent>& batch) {
        ++calls;
        for (const pg::OutboxEvent& row : batch) {
          row_ids.push_back(row.id);
        }
        return deliverer.Deliver(destination, batch);
      });
  ASSERT_EQ(relay.RunOnce().value_or(-1), 5);
  EXPECT_EQ(calls, 1) << "one DeliverEvents call for the whole batch";
  EXPECT_EQ(sequences_, row_ids) << "each event carries its outbox row id, in order";

  // A receiver that fails an event: the row keeps the receiver's reason.
  fail_one_in_ = 1;
  ASSERT_TRUE(PublishTicket("T9", true).ok());
  EXPECT_EQ(relay.RunOnce().value_or(-1), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM sender.outbox WHERE delivered_at IS NULL AND "
                  "last_error LIKE '%receiver did not apply the event: UNAVAILABLE%'"),
            1);
}

TEST_F(EventsTest, AFailingEventInABatchHoldsUpNoOtherAndNothingIsAppliedTwice) {
  fail_ticket_ = "T-bad";
  for (const char* ticket : {"T1", "T-bad", "T3"}) {
    ASSERT_TRUE(PublishTicket(ticket, true).ok());
  }
  PeerDeliverer deliverer({{"receiver", channel_}}, kServiceToken);
  pg::RelayOptions options;
  options.min_backoff = absl::Minutes(1);  // T-bad is not due again during the test
  options.max_backoff = absl::Minutes(2);
  pg::OutboxRelay relay(*pool_, "sender", Through(deliverer), options);
  EXPECT_EQ(relay.RunOnce().value_or(-1), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied WHERE ticket_id = 'T1'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied WHERE ticket_id = 'T3'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied WHERE ticket_id = 'T-bad'"), 0);
  EXPECT_EQ(after_commits_, 2) << "the after-commit work of applied events only, once each";
  EXPECT_EQ(Count("SELECT count(*) FROM sender.outbox WHERE delivered_at IS NULL AND "
                  "last_error LIKE '%FAILED_PRECONDITION%'"),
            1);

  // A batch that applies as a whole: every event once, each one's work after the commit.
  fail_ticket_.clear();
  for (const char* ticket : {"T4", "T5"}) {
    ASSERT_TRUE(PublishTicket(ticket, true).ok());
  }
  after_commits_ = 0;
  const size_t handled = sequences_.size();
  EXPECT_EQ(relay.RunOnce().value_or(-1), 2) << "T4 and T5; T-bad waits for its backoff";
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied WHERE ticket_id IN ('T4', 'T5')"), 2);
  EXPECT_EQ(after_commits_, 2);
  EXPECT_EQ(sequences_.size(), handled + 2) << "applied together, each handler ran once";
}

TEST_F(EventsTest, AnAdminTokenCannotInjectEvents) {
  ASSERT_TRUE(PublishTicket("T1", true).ok());
  std::vector<pg::OutboxEvent> rows = PendingRows();
  ASSERT_EQ(rows.size(), 1u);

  common::v1::EventSink::Stub stub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context.AddMetadata("authorization", "Bearer admin-token");
  common::v1::DeliverEventsRequest request;
  ASSERT_TRUE(request.add_events()->ParseFromString(rows[0].payload));
  common::v1::DeliverEventsResponse response;
  grpc::Status status = stub.DeliverEvents(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "role admin may not deliver events");
  EXPECT_EQ(response.accepted_event_ids_size(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied"), 0);

  // The refused call claimed nothing: the service's own delivery still applies it.
  absl::StatusOr<pg::DeliveryResults> delivered =
      PeerDeliverer({{"receiver", channel_}}, kServiceToken).Deliver("receiver", rows);
  ASSERT_TRUE(delivered.ok()) << delivered.status();
  EXPECT_TRUE(delivered->at(rows[0].id).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM receiver.applied"), 1);
}

}  // namespace
}  // namespace hotline::events
