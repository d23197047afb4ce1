// A repair ticket's whole way through the five real services over gRPC: an
// agent creates it in intake; intake's outbox relay hands ticket.created to
// dispatch, which routes it to the branch whose territory holds the address
// and puts it on that branch system's open pull stream; the branch
// acknowledges and reports its progress; dispatch's order events flow back
// to intake, where the ticket follows DISPATCHED -> ACCEPTED -> IN_PROGRESS ->
// RESOLVED and its history lists each change.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "hotline/intake/v1/intake.grpc.pb.h"
#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers
using common::v1::TicketStatus;
using google::protobuf::util::TimeUtil;

// How long a status change may take to travel dispatch -> outbox -> intake.
constexpr std::chrono::seconds kFollowDeadline{20};

class RepairFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = Backend::Start();
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(*started);
    intake_ = intake::v1::TicketIntake::NewStub(backend_->Channel("intake"));
    branch_ = dv1::BranchOrders::NewStub(backend_->Channel("dispatch"));
  }

  void RegisterBranch() {
    dv1::Branch saved;
    grpc::Status status = RegisterRepairCrew(*backend_, &saved);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(saved.territory_size(), 3);
  }

  // The ticket as an agent reads it; empty on error.
  std::optional<intake::v1::Ticket> Get(const std::string& ticket_id) {
    intake::v1::GetTicketRequest request;
    request.set_ticket_id(ticket_id);
    intake::v1::Ticket ticket;
    auto context = Call(backend_->Token("agent"));
    if (!intake_->GetTicket(context.get(), request, &ticket).ok()) {
      return std::nullopt;
    }
    return ticket;
  }

  // Polls until the ticket has `status` (or `or_status`); returns the ticket
  // as last read.
  intake::v1::Ticket WaitForStatus(const std::string& ticket_id, TicketStatus status,
                                   TicketStatus or_status = common::v1::TICKET_STATUS_UNSPECIFIED) {
    intake::v1::Ticket last;
    bool reached = WaitUntil(
        [&] {
          std::optional<intake::v1::Ticket> t = Get(ticket_id);
          if (t.has_value()) {
            last = *t;
          }
          return t.has_value() && (t->status() == status || t->status() == or_status);
        },
        kFollowDeadline, std::chrono::milliseconds(50));
    EXPECT_TRUE(reached) << "ticket " << ticket_id << " never reached "
                         << common::v1::TicketStatus_Name(status) << "; it is "
                         << common::v1::TicketStatus_Name(last.status()) << "\n--- intake log:\n"
                         << backend_->Log("intake") << "\n--- dispatch log:\n"
                         << backend_->Log("dispatch");
    return last;
  }

  grpc::Status Report(const dv1::ReportProgressRequest& request, dv1::Order* order = nullptr) {
    dv1::ReportProgressResponse response;
    auto context = Call(backend_->Token("branch"));
    grpc::Status status = branch_->ReportProgress(context.get(), request, &response);
    if (order != nullptr) {
      *order = response.order();
    }
    return status;
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<intake::v1::TicketIntake::Stub> intake_;
  std::unique_ptr<dv1::BranchOrders::Stub> branch_;
};

TEST_F(RepairFlowTest, ARepairTicketReachesTheBranchAndFollowsItsProgressToResolved) {
  RegisterBranch();
  if (HasFatalFailure()) {
    return;
  }
  Puller branch_system(*backend_, backend_->Token("branch"));

  // An agent takes the call.
  intake::v1::CreateTicketResponse created;
  {
    auto context = Call(backend_->Token("agent"));
    grpc::Status status =
        intake_->CreateTicket(context.get(), RepairInTheCrewsTerritory("repair-flow-1"), &created);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << backend_->Log("intake");
  }
  ASSERT_EQ(created.outcome(), intake::v1::CREATE_OUTCOME_ROUTED);
  const std::string ticket_id = created.ticket().ticket_id();
  ASSERT_FALSE(ticket_id.empty());

  // The order arrives on the branch's open stream, through intake's outbox
  // relay and dispatch's event sink.
  std::optional<dv1::Delivery> delivery =
      branch_system.WaitForTicket(ticket_id, std::chrono::seconds(20));
  ASSERT_TRUE(delivery.has_value()) << "no order for " << ticket_id << " on the stream"
                                    << "\n--- intake log:\n"
                                    << backend_->Log("intake") << "\n--- dispatch log:\n"
                                    << backend_->Log("dispatch");
  const dv1::Order& order = delivery->order();
  const std::string order_id = order.order_id();
  EXPECT_EQ(order.ticket_id(), ticket_id);
  EXPECT_EQ(order.branch_id(), kBranchId) << order.routing().reason();
  EXPECT_FALSE(order.with_dispatcher());

  intake::v1::Ticket ticket = WaitForStatus(ticket_id, common::v1::TICKET_STATUS_DISPATCHED);
  EXPECT_EQ(ticket.branch_id(), kBranchId);
  EXPECT_EQ(ticket.order_id(), order_id);

  // The branch system takes the order.
  {
    dv1::AckOrderRequest ack;
    ack.set_order_id(order_id);
    ack.set_delivery_id(delivery->delivery_id());
    dv1::AckOrderResponse response;
    auto context = Call(backend_->Token("branch"));
    grpc::Status status = branch_->AckOrder(context.get(), ack, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  WaitForStatus(ticket_id, common::v1::TICKET_STATUS_ACCEPTED);

  // A crew is named: the work is under way.
  auto step = [&](dv1::ProgressStep s) {
    dv1::ReportProgressRequest r;
    r.set_order_id(order_id);
    r.set_step(s);
    return r;
  };
  dv1::ReportProgressRequest crew = step(dv1::PROGRESS_STEP_CREW_ASSIGNED);
  crew.set_crew_lead("Wang Wu");
  crew.set_crew_phone("13900000000");
  {
    grpc::Status status = Report(crew);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ticket = WaitForStatus(ticket_id, common::v1::TICKET_STATUS_IN_PROGRESS);
  // Nobody has estimated a restore time yet: the ticket must not show one.
  EXPECT_FALSE(ticket.has_estimated_restore_at())
      << "before any estimate the ticket shows power back at "
      << TimeUtil::ToString(ticket.estimated_restore_at());

  // On the road, on site, the cause, an estimate: still in progress.
  dv1::ReportProgressRequest departed = step(dv1::PROGRESS_STEP_DEPARTED);
  *departed.mutable_at() = Stamp(absl::Now());
  ASSERT_TRUE(Report(departed).ok());
  dv1::ReportProgressRequest arrived = step(dv1::PROGRESS_STEP_ARRIVED);
  *arrived.mutable_at() = Stamp(absl::Now());
  ASSERT_TRUE(Report(arrived).ok());
  dv1::ReportProgressRequest cause = step(dv1::PROGRESS_STEP_CAUSE_FOUND);
  cause.set_cause("fuse blown in the knife switch");
  cause.set_fault_kind(dv1::FAULT_KIND_FUSE);
  ASSERT_TRUE(Report(cause).ok());
  const google::protobuf::Timestamp restore_at = Stamp(absl::Now() + absl::Hours(1));
  dv1::ReportProgressRequest estimate = step(dv1::PROGRESS_STEP_ESTIMATED_RESTORE);
  *estimate.mutable_estimated_restore_at() = restore_at;
  ASSERT_TRUE(Report(estimate).ok());
  // The customer's ticket learns the estimate, and is still in progress.
  intake::v1::Ticket estimated;
  bool learned = WaitUntil(
      [&] {
        std::optional<intake::v1::Ticket> t = Get(ticket_id);
        if (t.has_value()) {
          estimated = *t;
        }
        return t.has_value() && TimeUtil::TimestampToMicroseconds(t->estimated_restore_at()) ==
                                    TimeUtil::TimestampToMicroseconds(restore_at);
      },
      kFollowDeadline, std::chrono::milliseconds(50));
  EXPECT_TRUE(learned) << "the ticket never showed the estimated restore time "
                       << TimeUtil::ToString(restore_at) << "; it shows "
                       << TimeUtil::ToString(estimated.estimated_restore_at());
  EXPECT_EQ(estimated.status(), common::v1::TICKET_STATUS_IN_PROGRESS);

  dv1::ReportProgressRequest restored = step(dv1::PROGRESS_STEP_POWER_RESTORED);
  *restored.mutable_at() = Stamp(absl::Now());
  ASSERT_TRUE(Report(restored).ok());
  dv1::ReportProgressRequest completed = step(dv1::PROGRESS_STEP_COMPLETED);
  *completed.mutable_at() = Stamp(absl::Now());
  dv1::Order done;
  {
    grpc::Status status = Report(completed, &done);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(done.status(), dv1::ORDER_STATUS_RESOLVED);

  // Resolved, then soon waiting for survey's callback.
  ticket = WaitForStatus(ticket_id, common::v1::TICKET_STATUS_RESOLVED,
                         common::v1::TICKET_STATUS_CALLBACK);

  // The history lists the changes, in order, each from where the last left.
  intake::v1::GetHistoryRequest request;
  request.set_ticket_id(ticket_id);
  intake::v1::GetHistoryResponse history;
  {
    auto context = Call(backend_->Token("supervisor"));
    grpc::Status status = intake_->GetHistory(context.get(), request, &history);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  std::vector<TicketStatus> changes;
  std::string listing;
  TicketStatus previous = common::v1::TICKET_STATUS_UNSPECIFIED;
  for (const intake::v1::HistoryEntry& e : history.entries()) {
    absl::StrAppend(&listing, intake::v1::HistoryAction_Name(e.action()), " ",
                    common::v1::TicketStatus_Name(e.from_status()), " -> ",
                    common::v1::TicketStatus_Name(e.to_status()), " (", e.actor(), ": ", e.detail(),
                    ")\n");
    if (e.action() != intake::v1::HISTORY_ACTION_STATUS_CHANGED) {
      continue;
    }
    if (previous != common::v1::TICKET_STATUS_UNSPECIFIED) {
      EXPECT_EQ(e.from_status(), previous) << listing;
    }
    previous = e.to_status();
    changes.push_back(e.to_status());
  }
  const std::vector<TicketStatus> expected = {
      common::v1::TICKET_STATUS_DISPATCHED, common::v1::TICKET_STATUS_ACCEPTED,
      common::v1::TICKET_STATUS_IN_PROGRESS, common::v1::TICKET_STATUS_RESOLVED};
  // Each expected change appears once, in this order (a ROUTED step before
  // DISPATCHED is allowed).
  size_t next = 0;
  for (TicketStatus s : changes) {
    if (next < expected.size() && s == expected[next]) {
      ++next;
    }
  }
  EXPECT_EQ(next, expected.size()) << listing;
  for (TicketStatus s : expected) {
    EXPECT_EQ(std::count(changes.begin(), changes.end(), s), 1)
        << common::v1::TicketStatus_Name(s) << "\n"
        << listing;
  }
  ASSERT_FALSE(changes.empty()) << listing;
  EXPECT_TRUE(changes.back() == common::v1::TICKET_STATUS_RESOLVED ||
              changes.back() == common::v1::TICKET_STATUS_CALLBACK)
      << listing;
  branch_system.Close();
}

TEST_F(RepairFlowTest, AnAdvisedCustomerOwnedFaultCannotBeReassignedAndItsTicketStaysAnswered) {
  RegisterBranch();
  if (HasFatalFailure()) {
    return;
  }
  intake::v1::CreateTicketRequest request = RepairInTheCrewsTerritory("customer-owned-1", 12);
  request.mutable_details()->mutable_repair()->set_equipment_owner(
      common::v1::EQUIPMENT_OWNER_CUSTOMER);
  request.mutable_details()->mutable_repair()->set_fault_scope(common::v1::FAULT_SCOPE_METER_BOX);
  intake::v1::CreateTicketResponse created;
  {
    auto context = Call(backend_->Token("agent"));
    grpc::Status status = intake_->CreateTicket(context.get(), request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const std::string ticket_id = created.ticket().ticket_id();
  // Dispatch advises the customer instead of dispatching; intake answers the ticket.
  WaitForStatus(ticket_id, common::v1::TICKET_STATUS_ANSWERED);
  std::optional<dv1::Order> order = WaitOrderOfTicket(*backend_, ticket_id);
  ASSERT_TRUE(order.has_value());
  ASSERT_EQ(order->status(), dv1::ORDER_STATUS_NOT_DISPATCHED);

  // A dispatcher cannot send it to a branch after all: the two services agree
  // the matter is answered (a paid job is a new ticket).
  auto dispatch = dv1::Dispatch::NewStub(backend_->Channel("dispatch"));
  dv1::ReassignOrderRequest reassign;
  reassign.set_order_id(order->order_id());
  reassign.set_branch_id(kBranchId);
  dv1::Order moved;
  auto context = Call(backend_->Token("dispatcher"));
  grpc::Status status = dispatch->ReassignOrder(context.get(), reassign, &moved);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  std::optional<dv1::Order> after = WaitOrderOfTicket(*backend_, ticket_id);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status(), dv1::ORDER_STATUS_NOT_DISPATCHED);
  EXPECT_EQ(Get(ticket_id)->status(), common::v1::TICKET_STATUS_ANSWERED);
}

}  // namespace
}  // namespace hotline::testing
