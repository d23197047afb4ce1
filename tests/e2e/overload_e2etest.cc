// A surge that takes every PostgreSQL connection of intake: calls held up
// in the database keep their handler threads, a call that cannot be served
// is refused at once (RESOURCE_EXHAUSTED) instead of hanging, health keeps answering SERVING, and
// once the database lets go the held calls finish with nothing lost. And a
// caller over its rate is refused at once while the others go on.

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "hotline/outage/v1/outage.grpc.pb.h"
#include "libs/probe/probe.h"
#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers

intake::v1::CreateTicketRequest Consultation(const std::string& key) {
  intake::v1::CreateTicketRequest r = RepairInTheCrewsTerritory(key);
  r.set_type(common::v1::TICKET_TYPE_CONSULTATION);
  r.mutable_details()->mutable_consultation()->set_topic("time-of-use tariffs");
  r.mutable_details()->mutable_consultation()->set_resolution(
      intake::v1::INQUIRY_RESOLUTION_NEEDS_DEPARTMENT);
  return r;
}

grpc::Status Create(const Backend& backend, const std::string& key, absl::Duration timeout) {
  auto stub = intake::v1::TicketIntake::NewStub(backend.Channel("intake"));
  auto context = Call(backend.Token("agent"));
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  intake::v1::CreateTicketResponse created;
  return stub->CreateTicket(context.get(), Consultation(key), &created);
}

int CountWaitingOnLocks(const std::string& uri) {
  pqxx::connection c(uri);
  pqxx::nontransaction tx(c);
  return tx
      .exec1(
          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
          "AND datname = current_database()")[0]
      .as<int>();
}

std::string Activity(const std::string& uri) {
  pqxx::connection c(uri);
  pqxx::nontransaction tx(c);
  std::string out;
  for (const auto& row :
       tx.exec("SELECT coalesce(wait_event_type, '-'), coalesce(wait_event, '-'), "
               "state, left(query, 80) FROM pg_stat_activity WHERE datname = "
               "current_database()")) {
    out += absl::StrCat(row[0].c_str(), " ", row[1].c_str(), " ", row[2].c_str(), " ",
                        row[3].c_str(), "\n");
  }
  return out;
}

TEST(OverloadTest, WhenEveryConnectionIsHeldNewCallsAreRefusedQuicklyAndHealthAnswers) {
  BackendOptions options;
  options.extra_env["intake"] = {"HOTLINE_PG_POOL_SIZE=2", "HOTLINE_HANDLER_THREADS=2",
                                 "HOTLINE_HANDLER_QUEUE=0", "HOTLINE_PG_LOCK_TIMEOUT=5m"};
  auto started = Backend::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Backend> backend = std::move(*started);

  // Something holds the tickets table: every create waits on it, holding a
  // pooled connection and a handler thread.
  pqxx::connection locker(backend->pg_uri());
  auto lock = std::make_unique<pqxx::work>(locker);
  lock->exec0("LOCK TABLE intake.tickets IN ACCESS EXCLUSIVE MODE");

  constexpr int kHeld = 2;  // both connections, both handler threads; no queue
  std::vector<grpc::Status> held(kHeld);
  std::vector<std::thread> callers;
  for (int i = 0; i < kHeld; ++i) {
    callers.emplace_back(
        [&, i] { held[i] = Create(*backend, absl::StrCat("held-", i), absl::Seconds(60)); });
  }
  // Releases the table and waits for the callers, whatever the test found.
  auto release = [&] {
    if (lock != nullptr) {
      lock->commit();
      lock.reset();
    }
    for (std::thread& t : callers) {
      if (t.joinable()) {
        t.join();
      }
    }
  };
  if (!WaitUntil([&] { return CountWaitingOnLocks(backend->pg_uri()) >= kHeld; })) {
    ADD_FAILURE() << "the creates did not wait on the table:\n"
                  << Activity(backend->pg_uri()) << backend->Log("intake");
    release();
    return;
  }

  // One more call: refused at once, never left hanging.
  absl::Time before = absl::Now();
  grpc::Status refused = Create(*backend, "one-too-many", absl::Seconds(30));
  absl::Duration took = absl::Now() - before;
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_LT(took, absl::Seconds(5));
  std::printf("the extra CreateTicket was refused after %s: %s\n",
              absl::FormatDuration(took).c_str(), refused.error_message().c_str());

  // Health is not handler work and has its own connection.
  before = absl::Now();
  EXPECT_EQ(probe::CheckHealth(backend->Channel("intake")).value_or("error"), "SERVING");
  EXPECT_LT(absl::Now() - before, absl::Seconds(2));

  // The database lets go: the held calls finish, each with its ticket.
  release();
  for (int i = 0; i < kHeld; ++i) {
    EXPECT_TRUE(held[i].ok()) << i << ": " << held[i].error_message();
  }
  pqxx::nontransaction count(locker);
  EXPECT_EQ(
      count.exec1("SELECT count(*) FROM intake.tickets WHERE idempotency_key LIKE '% held-%'")[0]
          .as<int>(),
      kHeld);
  EXPECT_EQ(count
                .exec1("SELECT count(*) FROM intake.tickets WHERE idempotency_key = "
                       "'e2e-agent one-too-many'")[0]
                .as<int>(),
            0)
      << "a refused call must leave nothing behind";
}

grpc::Status CheckArea(const Backend& backend, const std::string& role) {
  auto stub = outage::v1::OutageNotices::NewStub(backend.Channel("outage"));
  auto context = Call(backend.Token(role));
  outage::v1::CheckAddressRequest request;
  request.set_transformer_area("TA-RATE-1");
  outage::v1::CheckAddressResponse answer;
  return stub->CheckAddress(context.get(), request, &answer);
}

TEST(OverloadTest, ACallerOverItsRateIsRefusedAtOnceAndOtherCallersAreNot) {
  BackendOptions options;
  options.extra_env["outage"] = {"HOTLINE_CALLER_CALL_RATE=2", "HOTLINE_CALLER_CALL_BURST=5"};
  auto started = Backend::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Backend> backend = std::move(*started);

  int answered = 0;
  int refused = 0;
  std::string refusal;
  for (int i = 0; i < 30; ++i) {
    grpc::Status status = CheckArea(*backend, "agent");
    if (status.ok()) {
      ++answered;
    } else {
      ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << status.error_message();
      ++refused;
      refusal = status.error_message();
    }
  }
  std::printf("30 quick calls of one agent at 2 a second, burst 5: %d answered, %d refused (%s)\n",
              answered, refused, refusal.c_str());
  // The burst and what the rate refilled meanwhile; the rest refused.
  EXPECT_GE(answered, 5);
  EXPECT_LT(answered, 15);
  EXPECT_EQ(answered + refused, 30);
  EXPECT_NE(refusal.find("is over its limit of 2 calls a second"), std::string::npos) << refusal;

  // Another caller is not held back by the first one's bucket.
  grpc::Status other = CheckArea(*backend, "supervisor");
  EXPECT_TRUE(other.ok()) << other.error_message();
  // And the agent is served again once its bucket refills.
  EXPECT_TRUE(WaitUntil([&] { return CheckArea(*backend, "agent").ok(); }, std::chrono::seconds(5),
                        std::chrono::milliseconds(200)));
}

}  // namespace
}  // namespace hotline::testing
