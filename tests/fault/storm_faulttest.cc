// A storm of repair calls while everything fails in turn: each of the five
// services is killed (SIGKILL) and started again, PostgreSQL is restarted,
// Redis is flushed and then restarted. Callers retry with their idempotency
// keys; branch systems keep their pull streams open, acknowledge and
// complete; the telephony side sends call events. Afterwards every accepted ticket exists once,
// every one has one order at the branch owning its county, delivered there and acknowledged, every
// acknowledgement and completion a branch was told of holds, every ticket has its sla clocks, every
// resolved order's ticket one callback; then sla's clock is moved past the deadlines and every due
// clock breaches once, in sla and in intake's history; every call event intake took is kept. The
// counts are printed.

#include <gtest/gtest.h>
#include <signal.h>

#include <functional>
#include <iostream>

#include "hotline/common/v1/test_clock.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "tests/fault/storm_audit.h"
#include "tests/fault/storm_calls.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

using namespace storm;  // NOLINT: test helpers

// How long the storm may take to settle after the last fault.
constexpr std::chrono::seconds kSettle{90};

// Every third order (by its ticket) is worked to COMPLETED.
bool CrewCompletes(const std::string& ticket_id) {
  return std::hash<std::string>{}(ticket_id) % 3 == 0;
}

std::string RedisCli(const Backend& backend, const std::string& command) {
  const std::string& address = backend.redis_address();
  return absl::StrCat("redis-cli -h ", address.substr(0, address.rfind(':')), " -p ",
                      address.substr(address.rfind(':') + 1), " -n ", backend.redis_db(), " ",
                      command);
}

// Waits until the callers have had `more` further repairs accepted, so each
// fault falls inside the storm, not after it.
void LetTheStormRun(const StormCallers& callers, int more) {
  const int from = callers.AcceptedSoFar();
  EXPECT_TRUE(
      WaitUntil([&] { return callers.AcceptedSoFar() >= from + more; }, std::chrono::seconds(60)))
      << "the callers got " << callers.AcceptedSoFar() - from << " of " << more
      << " repairs accepted after the last fault";
}

TEST(StormFaultTest, NothingAcceptedIsLostOrDoubledWhileEverythingFailsInTurn) {
  auto servers = OwnServers::Start();
  ASSERT_TRUE(servers.ok()) << servers.status();
  BackendOptions options;
  options.servers = servers->get();
  options.extra_branch_ids = {"BR-2", "BR-3"};
  options.extra_env["dispatch"] = {"HOTLINE_ORDER_LEASE=3s", "HOTLINE_QUEUE_SWEEP_INTERVAL=1s",
                                   "HOTLINE_PULL_POLL_INTERVAL=200ms"};
  options.extra_env["sla"] = {"HOTLINE_TEST_CLOCK=true"};
  auto started = Backend::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  Backend& backend = **started;
  for (const StormBranch& branch : StormBranches()) {
    grpc::Status status = RegisterStormBranch(backend, branch);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const absl::Time storm_start = absl::Now();

  std::vector<std::unique_ptr<BranchSystem>> systems;
  std::vector<BranchSystem*> system_ptrs;
  for (const StormBranch& branch : StormBranches()) {
    systems.push_back(std::make_unique<BranchSystem>(backend, branch, CrewCompletes));
    system_ptrs.push_back(systems.back().get());
  }
  StormCallers callers(backend, 2, absl::Milliseconds(120));
  StormCalls calls(backend, absl::Milliseconds(100));
  LetTheStormRun(callers, 20);

  // Each service killed in the middle of the storm, and started again.
  for (const std::string& name : Backend::ServiceNames()) {
    absl::StatusOr<int> killed = backend.Stop(name, SIGKILL);
    ASSERT_TRUE(killed.ok()) << killed.status();
    EXPECT_TRUE(WIFSIGNALED(*killed)) << name;
    absl::Status restarted = backend.Restart(name);
    ASSERT_TRUE(restarted.ok()) << restarted << "\n" << backend.Log(name);
    LetTheStormRun(callers, 10);
  }
  // PostgreSQL restarted under every service's pools.
  ASSERT_TRUE((*servers)->StopPostgres().ok());
  ASSERT_TRUE((*servers)->StartPostgres().ok());
  LetTheStormRun(callers, 10);
  // Redis loses everything: first the backend's database, then the server.
  CommandResult flushed = RunCommand(RedisCli(backend, "FLUSHDB"));
  ASSERT_EQ(flushed.exit_code, 0) << flushed.output;
  LetTheStormRun(callers, 10);
  ASSERT_TRUE((*servers)->StopRedis().ok());
  ASSERT_TRUE((*servers)->StartRedis().ok());
  LetTheStormRun(callers, 10);
  callers.Finish();
  calls.Finish();
  const absl::Duration storm_took = absl::Now() - storm_start;

  // Settled: every stored repair's order acknowledged, the crews done, the
  // resolved orders' callbacks scheduled, every ticket with its clocks.
  StormCounts counts;
  const auto settled = [&] {
    for (BranchSystem* system : system_ptrs) {
      if (system->CrewBacklog() > 0) {
        return false;
      }
    }
    counts = CountStorm(ReadStoredStorm(backend), callers.Outcomes(), system_ptrs);
    return counts.Inconsistencies() == 0;
  };
  const absl::Time settle_start = absl::Now();
  WaitUntil(settled, kSettle, std::chrono::milliseconds(500));
  const absl::Duration settle_took = absl::Now() - settle_start;
  for (BranchSystem* system : system_ptrs) {
    system->Stop();
  }
  counts = CountStorm(ReadStoredStorm(backend), callers.Outcomes(), system_ptrs);
  int reconnects = 0;
  for (BranchSystem* system : system_ptrs) {
    reconnects += system->Reconnects();
  }
  std::cout << "storm: " << counts.Line() << "; branch streams reopened " << reconnects
            << "; storm " << storm_took << ", settled in " << settle_took << std::endl;
  EXPECT_EQ(counts.Inconsistencies(), 0) << counts.Line();
  EXPECT_GE(counts.accepted, 90) << "too small a storm to show anything";
  EXPECT_GT(counts.resolved, 0);
  EXPECT_EQ(counts.given_up, 0) << "a caller gave up on a repair";

  // Every call event intake answered OK for is kept, and shows in its call.
  const CallCounts call_counts = CountCalls(backend, calls.Recorded(), calls.Calls());
  std::cout << "calls: " << call_counts.Line() << std::endl;
  EXPECT_EQ(call_counts.Inconsistencies(), 0) << call_counts.Line();
  EXPECT_GT(call_counts.calls, 0);

  // A day later on sla's clock, every clock still running is past its due
  // time: each breaches once, and intake records each breach once.
  const absl::Time later = absl::Now() + absl::Hours(24);
  {
    auto stub = common::v1::TestClock::NewStub(backend.Channel("sla"));
    common::v1::SetTimeRequest request;
    *request.mutable_now() = ToProtoTime(later);
    common::v1::TestClockTime time;
    auto context = dispatch_e2e::Call(backend.Token("admin"));
    grpc::Status status = stub->SetTime(context.get(), request, &time);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  BreachCounts breaches;
  WaitUntil(
      [&] {
        breaches = CountBreaches(backend, later);
        return breaches.due > 0 && breaches.Inconsistencies() == 0;
      },
      std::chrono::seconds(60), std::chrono::milliseconds(500));
  std::cout << "breaches: " << breaches.Line() << std::endl;
  EXPECT_GT(breaches.due, 0);
  EXPECT_EQ(breaches.Inconsistencies(), 0) << breaches.Line() << "\n" << backend.Log("sla");
}

}  // namespace
}  // namespace hotline::testing
