// Retries after a deadline: a client whose deadline passes while intake
// takes its ticket (before, during or just after the commit) tries again with
// the same idempotency key, a little more patiently each time, until it gets
// an answer. It gets one ticket, the same on every later retry, and when an
// attempt it gave up on had committed, the answer says it was replayed.

#include <gtest/gtest.h>

#include <iostream>
#include <pqxx/pqxx>

#include "tests/fault/storm_callers.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

using namespace storm;  // NOLINT: test helpers

constexpr int kRepairs = 30;

TEST(RetryFaultTest, AClientWhoseDeadlinePassedRetriesWithTheSameKeyAndGetsTheSameTicket) {
  auto servers = OwnServers::Start();
  ASSERT_TRUE(servers.ok()) << servers.status();
  BackendOptions options;
  options.servers = servers->get();
  auto started = Backend::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  const Backend& backend = **started;
  auto intake = iv1::TicketIntake::NewStub(backend.Channel("intake"));

  int deadlines_passed = 0;          // attempts that ended DEADLINE_EXCEEDED
  int committed_after_deadline = 0;  // first answers that were replays of such an attempt
  for (int n = 0; n < kRepairs; ++n) {
    const iv1::CreateTicketRequest request = StormRepair(n);
    iv1::CreateTicketResponse first;
    bool answered = false;
    // 1 ms more each attempt: one attempt's deadline falls in the commit.
    for (int ms = 1; ms <= 3000 && !answered; ++ms) {
      auto context = dispatch_e2e::Call(backend.Token("agent"), absl::Milliseconds(ms));
      grpc::Status status = intake->CreateTicket(context.get(), request, &first);
      if (status.ok()) {
        answered = true;
      } else {
        ASSERT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
            << status.error_message() << " (deadline " << ms << " ms)\n--- intake log:\n"
            << backend.Log("intake");
        ++deadlines_passed;
      }
    }
    ASSERT_TRUE(answered) << "repair " << n << " never answered within 3 s";
    committed_after_deadline += first.replayed() ? 1 : 0;

    // A patient retry gets the same ticket.
    iv1::CreateTicketResponse again;
    auto context = dispatch_e2e::Call(backend.Token("agent"));
    grpc::Status status = intake->CreateTicket(context.get(), request, &again);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(again.replayed());
    EXPECT_EQ(again.ticket().ticket_id(), first.ticket().ticket_id()) << request.idempotency_key();
  }

  // One ticket per key, the one the client was given.
  pqxx::connection conn(backend.pg_uri());
  pqxx::read_transaction tx(conn);
  const pqxx::row counts = tx.exec1(
      "SELECT count(*), count(DISTINCT split_part(idempotency_key, ' ', 2)) FROM intake.tickets");
  std::cout << "retries: repairs " << kRepairs << ", deadlines passed " << deadlines_passed
            << ", first answers replaying an attempt given up on " << committed_after_deadline
            << ", tickets stored " << counts[0].as<int>() << ", keys " << counts[1].as<int>()
            << std::endl;
  EXPECT_EQ(counts[0].as<int>(), kRepairs);
  EXPECT_EQ(counts[1].as<int>(), kRepairs);
  EXPECT_GT(deadlines_passed, 0);
  // The case the test is for happened at least once.
  EXPECT_GT(committed_after_deadline, 0);
}

}  // namespace
}  // namespace hotline::testing
