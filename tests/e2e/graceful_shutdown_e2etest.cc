// SIGTERM to dispatch while a branch system holds its PullOrders stream: the
// stream ends at once with UNAVAILABLE (not at the end of the drain), the
// process exits cleanly, and after the restart the branch system reconnects
// with its last cursor: the order it acknowledged before the stop stays
// acknowledged, the one it had received but not acknowledged is acknowledged
// now with its delivery id, and new orders reach the resumed stream. No
// acknowledgement is lost and no order is delivered or taken twice.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <thread>

#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers

common::v1::Address CrewsPlace() { return RepairInTheCrewsTerritory("unused").address(); }

grpc::Status Ack(const Backend& backend, const dv1::Delivery& delivery) {
  auto stub = dv1::BranchOrders::NewStub(backend.Channel("dispatch"));
  dv1::AckOrderRequest request;
  request.set_order_id(delivery.order().order_id());
  request.set_delivery_id(delivery.delivery_id());
  dv1::AckOrderResponse response;
  auto context = Call(backend.Token("branch"));
  return stub->AckOrder(context.get(), request, &response);
}

TEST(GracefulShutdownTest, SigtermEndsPullStreamsAtOnceAndTheBranchResumesLosingNoAck) {
  BackendOptions options;
  // A long drain: the stream must end long before it.
  options.extra_env["dispatch"] = {"HOTLINE_DRAIN_TIMEOUT=60s", "HOTLINE_ORDER_LEASE=5m",
                                   "HOTLINE_PULL_POLL_INTERVAL=100ms"};
  auto started = Backend::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<Backend> backend = std::move(*started);
  dv1::Branch crew;
  ASSERT_TRUE(RegisterRepairCrew(*backend, &crew).ok());

  auto puller = std::make_unique<Puller>(*backend, backend->Token("branch"));
  auto accepted = Deliver(*backend, {Created(Repair("shutdown-acked", CrewsPlace())),
                                     Created(Repair("shutdown-pending", CrewsPlace()))});
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  std::optional<dv1::Delivery> acked = puller->WaitForTicket("shutdown-acked");
  std::optional<dv1::Delivery> pending = puller->WaitForTicket("shutdown-pending");
  ASSERT_TRUE(acked.has_value() && pending.has_value()) << backend->Log("dispatch");
  grpc::Status ack = Ack(*backend, *acked);
  ASSERT_TRUE(ack.ok()) << ack.error_message();
  const std::string cursor = puller->LastCursor();

  // SIGTERM; Stop waits for the exit on its own thread.
  const absl::Time signalled = absl::Now();
  absl::StatusOr<int> exit_status = absl::UnknownError("not stopped");
  std::thread stopper([&] { exit_status = backend->Stop("dispatch", SIGTERM); });
  const bool ended =
      WaitUntil([&] { return puller->Ended().has_value(); }, std::chrono::seconds(20));
  const absl::Duration took = absl::Now() - signalled;
  stopper.join();
  ASSERT_TRUE(ended) << "the stream stayed open after SIGTERM\n" << backend->Log("dispatch");
  std::printf("the pull stream ended %s after SIGTERM: %s\n", absl::FormatDuration(took).c_str(),
              puller->Ended()->error_message().c_str());
  EXPECT_EQ(puller->Ended()->error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(took, absl::Seconds(10)) << "the stream waited for the drain deadline";
  ASSERT_TRUE(exit_status.ok()) << exit_status.status();
  EXPECT_TRUE(WIFEXITED(*exit_status) && WEXITSTATUS(*exit_status) == 0)
      << backend->Log("dispatch");
  puller.reset();

  // Back again: the branch system resumes from its cursor and acknowledges
  // the order it was sent before the stop, with that delivery's id (its
  // lease runs on); nothing it already has is sent to it again.
  ASSERT_TRUE(backend->Restart("dispatch").ok()) << backend->Log("dispatch");
  Puller resumed(*backend, backend->Token("branch"), 0, cursor);
  ack = Ack(*backend, *pending);
  EXPECT_TRUE(ack.ok()) << ack.error_message();
  Deliver(*backend, {Created(Repair("shutdown-after", CrewsPlace()))}).IgnoreError();
  ASSERT_TRUE(resumed.WaitForTicket("shutdown-after").has_value())
      << "the resumed stream gets no new orders\n"
      << backend->Log("dispatch");
  EXPECT_TRUE(resumed.DeliveriesOf(acked->order().order_id()).empty());
  EXPECT_TRUE(resumed.DeliveriesOf(pending->order().order_id()).empty());

  for (const char* ticket : {"shutdown-acked", "shutdown-pending"}) {
    std::vector<dv1::Order> orders = OrdersOfTicket(*backend, ticket);
    ASSERT_EQ(orders.size(), 1u) << ticket;
    EXPECT_EQ(orders[0].status(), dv1::ORDER_STATUS_ACCEPTED) << ticket;
  }
}

}  // namespace
}  // namespace hotline::testing
