// The event path between the services, seen from outside: with every poll
// interval (outbox relays, pull hub) set to a minute, a repair ticket still
// reaches the branch's open PullOrders stream within seconds, because each
// commit wakes the next hop (PostgreSQL NOTIFY), also across two dispatch
// replicas; and the outbox metrics show a backlog while dispatch is down,
// which goes as soon as dispatch is back.

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>

#include "tests/e2e/repair_helpers.h"
#include "tests/fixtures/scrape.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers

// Far longer than the test waits for anything: a hop that waited for its
// poll would fail the test.
const std::vector<std::string> kSlowPolls = {"HOTLINE_OUTBOX_POLL_INTERVAL=1m"};
const std::vector<std::string> kSlowDispatchPolls = {"HOTLINE_OUTBOX_POLL_INTERVAL=1m",
                                                     "HOTLINE_PULL_POLL_INTERVAL=1m",
                                                     "HOTLINE_QUEUE_SWEEP_INTERVAL=1m"};
constexpr std::chrono::seconds kWoken{15};

class EventPathTest : public ::testing::Test {
 protected:
  void StartBackend() {
    BackendOptions options;
    options.extra_env["intake"] = kSlowPolls;
    options.extra_env["dispatch"] = kSlowDispatchPolls;
    auto started = Backend::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(*started);
    dv1::Branch saved;
    grpc::Status status = RegisterRepairCrew(*backend_, &saved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Creates a repair in BR-1's territory; returns its ticket id and when
  // CreateTicket returned.
  std::pair<std::string, absl::Time> CreateRepair(const std::string& key) {
    static int house = 100;  // a new house each time: not a duplicate of the last
    auto intake = intake::v1::TicketIntake::NewStub(backend_->Channel("intake"));
    intake::v1::CreateTicketResponse created;
    auto context = Call(backend_->Token("agent"));
    grpc::Status status =
        intake->CreateTicket(context.get(), RepairInTheCrewsTerritory(key, ++house), &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {created.ticket().ticket_id(), absl::Now()};
  }

  // The time from CreateTicket's return to the order's arrival on `puller`.
  std::optional<absl::Duration> Latency(Puller& puller, const std::string& ticket_id,
                                        absl::Time created) {
    std::optional<dv1::Delivery> delivery = puller.WaitForTicket(ticket_id, kWoken);
    if (!delivery.has_value()) {
      return std::nullopt;
    }
    for (const Puller::Received& r : puller.Messages()) {
      if (r.message.delivery().order().ticket_id() == ticket_id) {
        return r.at - created;
      }
    }
    return std::nullopt;
  }

  std::string Logs() {
    return absl::StrCat("\n--- intake log:\n", backend_->Log("intake"), "\n--- dispatch log:\n",
                        backend_->Log("dispatch"));
  }

  std::unique_ptr<Backend> backend_;
};

TEST_F(EventPathTest, ARepairReachesTheOpenStreamWithinSecondsThoughEveryPollIsAMinute) {
  StartBackend();
  if (HasFatalFailure()) {
    return;
  }
  Puller branch_system(*backend_, backend_->Token("branch"));
  for (int i = 0; i < 3; ++i) {
    auto [ticket_id, created] = CreateRepair(absl::StrCat("woken-", i));
    std::optional<absl::Duration> latency = Latency(branch_system, ticket_id, created);
    ASSERT_TRUE(latency.has_value())
        << "ticket " << ticket_id << " never reached the stream" << Logs();
    std::printf("repair %d reached the branch's stream %s after CreateTicket returned\n", i,
                absl::FormatDuration(*latency).c_str());
    EXPECT_LT(*latency, absl::Seconds(10)) << "a hop waited for its one-minute poll";
  }
}

TEST_F(EventPathTest, AnOrderMadeByOneDispatchReplicaReachesAStreamHeldOnTheOther) {
  StartBackend();
  if (HasFatalFailure()) {
    return;
  }
  // Intake sends its events to the first dispatch process, which makes the
  // orders; the branch system pulls from the second.
  absl::StatusOr<std::string> replica = backend_->StartReplica("dispatch");
  ASSERT_TRUE(replica.ok()) << replica.status();
  Puller branch_system(*backend_, backend_->Token("branch"), 0, "", *replica);
  for (int i = 0; i < 2; ++i) {
    auto [ticket_id, created] = CreateRepair(absl::StrCat("replica-", i));
    std::optional<absl::Duration> latency = Latency(branch_system, ticket_id, created);
    ASSERT_TRUE(latency.has_value()) << "ticket " << ticket_id << " never reached the stream on "
                                     << *replica << Logs() << "\n--- " << *replica << " log:\n"
                                     << backend_->Log(*replica);
    std::printf("repair %d reached the stream on %s %s after CreateTicket returned\n", i,
                replica->c_str(), absl::FormatDuration(*latency).c_str());
    EXPECT_LT(*latency, absl::Seconds(10)) << "the replica waited for its one-minute poll";
  }
}

TEST_F(EventPathTest, OutboxMetricsShowTheBacklogWhileDispatchIsDownAndItGoesWhenItIsBack) {
  StartBackend();
  if (HasFatalFailure()) {
    return;
  }
  auto metric = [&](const std::string& name) {
    absl::StatusOr<std::string> text = backend_->ScrapeMetrics("intake");
    return text.ok() ? SumSeries(*text, name, {"destination=\"dispatch\""}) : -1;
  };
  // A ticket delivered while dispatch is up.
  Puller branch_system(*backend_, backend_->Token("branch"));
  auto [first, first_at] = CreateRepair("metrics-0");
  ASSERT_TRUE(Latency(branch_system, first, first_at).has_value()) << Logs();
  EXPECT_TRUE(WaitUntil([&] { return metric("hotline_outbox_delivered_total") >= 1; }));
  branch_system.Close();

  // Dispatch goes away: tickets wait in intake's outbox, and the gauges say so.
  ASSERT_TRUE(backend_->Stop("dispatch", SIGKILL).ok());
  const double failures_before = metric("hotline_outbox_failures_total");
  CreateRepair("metrics-1");
  CreateRepair("metrics-2");
  EXPECT_TRUE(
      WaitUntil([&] { return metric("hotline_outbox_pending") >= 2; }, std::chrono::seconds(20)))
      << "pending stayed at " << metric("hotline_outbox_pending");
  EXPECT_TRUE(WaitUntil([&] { return metric("hotline_outbox_oldest_pending_seconds") > 0; },
                        std::chrono::seconds(20)));
  EXPECT_TRUE(WaitUntil([&] { return metric("hotline_outbox_failures_total") > failures_before; }));

  // Dispatch is back: the backlog goes at once, not after a long backoff.
  ASSERT_TRUE(backend_->Restart("dispatch").ok()) << backend_->Log("dispatch");
  const absl::Time back = absl::Now();
  EXPECT_TRUE(
      WaitUntil([&] { return metric("hotline_outbox_pending") == 0; }, std::chrono::seconds(20)))
      << "pending stayed at " << metric("hotline_outbox_pending") << Logs();
  std::printf("intake's backlog for dispatch was delivered within %s of dispatch serving again\n",
              absl::FormatDuration(absl::Now() - back).c_str());
  EXPECT_GE(metric("hotline_outbox_delivered_total"), 3);
}

}  // namespace
}  // namespace hotline::testing
