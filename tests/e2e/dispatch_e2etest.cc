// The dispatch service over gRPC, with the other four services running:
// branches upserted by an admin; ticket.created events delivered to
// dispatch's EventSink exactly as intake's outbox relay will; branch systems
// pulling, acknowledging under leases, reporting and returning.

#include <gtest/gtest.h>

#include <set>

#include "absl/strings/match.h"
#include "tests/e2e/dispatch_e2e_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using google::protobuf::util::TimeUtil;

// Lease and polling short enough for a test to watch a lease run out.
constexpr absl::Duration kLease = absl::Seconds(2);

class DispatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    BackendOptions options;
    options.extra_env["dispatch"] = {"HOTLINE_ORDER_LEASE=2s", "HOTLINE_PULL_POLL_INTERVAL=100ms",
                                     "HOTLINE_QUEUE_SWEEP_INTERVAL=500ms"};
    options.extra_branch_ids = {"BR-2", "BR-3"};
    auto started = Backend::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = started->release();
    UpsertBranches();
  }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }

  // BR-1 covers a transformer area, BR-2 a feeder, BR-3 a township: the same
  // place matches all three, at different levels.
  static void UpsertBranches() {
    auto stub = dv1::Dispatch::NewStub(backend_->Channel("dispatch"));
    auto branch = [](std::string id, std::string kind, std::vector<std::string> scopes,
                     dv1::TerritoryLevel level, std::string value) {
      dv1::Branch b;
      b.set_branch_id(id);
      b.set_name("Branch " + id);
      b.set_kind(kind);
      b.set_duty_phone("0578-6210100");
      b.set_area_class(common::v1::AREA_CLASS_RURAL);
      b.add_ticket_types(common::v1::TICKET_TYPE_REPAIR);
      for (const std::string& s : scopes) {
        b.add_fault_scopes(s);
      }
      dv1::TerritoryEntry* t = b.add_territory();
      t->set_level(level);
      t->set_value(value);
      return b;
    };
    for (const dv1::Branch& b :
         {branch("BR-1", "repair_crew", {"public_network"}, dv1::TERRITORY_LEVEL_TRANSFORMER_AREA,
                 "TA-1"),
          branch("BR-2", "distribution_district", {"public_network"}, dv1::TERRITORY_LEVEL_FEEDER,
                 "F-1"),
          branch("BR-3", "supply_station", {"public_network", "meter_box"},
                 dv1::TERRITORY_LEVEL_TOWNSHIP, "E2E Province/City/County/Town")}) {
      dv1::Branch saved;
      auto context = Call(backend_->Token("admin"));
      grpc::Status status = stub->UpsertBranch(context.get(), b, &saved);
      ASSERT_TRUE(status.ok()) << status.error_message();
      ASSERT_EQ(saved.arrival_limit_minutes(), 90);  // the rural default
    }
  }

  static std::string NewTicketId() {
    static std::atomic<int> n{0};
    return absl::StrCat("t-", ::testing::UnitTest::GetInstance()->current_test_info()->name(), "-",
                        ++n);
  }

  // Delivers the event and checks dispatch accepted it.
  static void Send(const Event& event) {
    auto accepted = Deliver(*backend_, {event});
    ASSERT_TRUE(accepted.ok()) << accepted.status();
    ASSERT_EQ(accepted->size(), 1u) << backend_->Log("dispatch");
  }

  static std::unique_ptr<dv1::BranchOrders::Stub> Branch() {
    return dv1::BranchOrders::NewStub(backend_->Channel("dispatch"));
  }

  static grpc::Status Ack(const std::string& token, const std::string& order_id,
                          const std::string& delivery_id, dv1::Order* order = nullptr) {
    dv1::AckOrderRequest request;
    request.set_order_id(order_id);
    request.set_delivery_id(delivery_id);
    dv1::AckOrderResponse response;
    auto context = Call(token);
    grpc::Status status = Branch()->AckOrder(context.get(), request, &response);
    if (order != nullptr) {
      *order = response.order();
    }
    return status;
  }

  static grpc::Status Report(const std::string& token, dv1::ReportProgressRequest request,
                             dv1::Order* order = nullptr) {
    dv1::ReportProgressResponse response;
    auto context = Call(token);
    grpc::Status status = Branch()->ReportProgress(context.get(), request, &response);
    if (order != nullptr) {
      *order = response.order();
    }
    return status;
  }

  static grpc::Status Return(const std::string& token, const std::string& order_id,
                             dv1::Order* order = nullptr) {
    dv1::ReturnOrderRequest request;
    request.set_order_id(order_id);
    request.set_reason(dv1::RETURN_REASON_NOT_OUR_TERRITORY);
    request.set_belongs_to("some other unit");
    request.set_idempotency_key(absl::StrCat("return-", order_id, "-", token));
    dv1::ReturnOrderResponse response;
    auto context = Call(token);
    grpc::Status status = Branch()->ReturnOrder(context.get(), request, &response);
    if (order != nullptr) {
      *order = response.order();
    }
    return status;
  }

  // The token of a branch system.
  static const std::string& TokenOf(const std::string& branch_id) {
    return backend_->Token(branch_id == "BR-1" ? "branch" : "branch:" + branch_id);
  }

  static Backend* backend_;
};

Backend* DispatchTest::backend_ = nullptr;

TEST_F(DispatchTest, TheOrderArrivesOnTheOpenStreamOfTheRightBranchOnce) {
  Puller br1(*backend_, TokenOf("BR-1"));
  Puller br2(*backend_, TokenOf("BR-2"));
  // On feeder F-1 and in township Town, but not in transformer area TA-1:
  // the feeder is the most specific match.
  std::string ticket = NewTicketId();
  intake::v1::TicketCreated created = Repair(ticket, Place("County", "Town", "F-1", "TA-9"));
  Send(Created(created));
  Send(Created(created));                               // the relay delivers it again
  Send(Created(created, ticket + ".published-twice"));  // intake published it twice

  std::optional<dv1::Delivery> delivery = br2.WaitForTicket(ticket);
  ASSERT_TRUE(delivery.has_value()) << backend_->Log("dispatch");
  const dv1::Order& order = delivery->order();
  EXPECT_EQ(order.branch_id(), "BR-2");
  EXPECT_EQ(order.status(), dv1::ORDER_STATUS_DISPATCHED);
  EXPECT_TRUE(absl::StartsWith(order.order_number(), "PD-")) << order.order_number();
  EXPECT_EQ(order.routing().rule(), "territory_match");
  EXPECT_EQ(order.routing().matched_level(), dv1::TERRITORY_LEVEL_FEEDER);
  EXPECT_TRUE(absl::StrContains(order.routing().reason(), "feeder F-1"))
      << order.routing().reason();
  EXPECT_EQ(order.routing().candidates(), 2);  // BR-2 (feeder), BR-3 (township)
  EXPECT_EQ(order.address().street(), "1 Main Street");
  EXPECT_EQ(order.customer().phone(), "13800000000");
  EXPECT_TRUE(order.has_arrival_due_at());
  EXPECT_EQ(delivery->attempt(), 1);
  EXPECT_FALSE(delivery->delivery_id().empty());

  EXPECT_EQ(OrdersOfTicket(*backend_, ticket).size(), 1u);
  EXPECT_TRUE(br1.DeliveriesOf(order.order_id()).empty());

  dv1::Order accepted;
  grpc::Status acked = Ack(TokenOf("BR-2"), order.order_id(), delivery->delivery_id(), &accepted);
  ASSERT_TRUE(acked.ok()) << acked.error_message();
  EXPECT_EQ(accepted.status(), dv1::ORDER_STATUS_ACCEPTED);
  // Acknowledging again is harmless.
  EXPECT_TRUE(Ack(TokenOf("BR-2"), order.order_id(), delivery->delivery_id()).ok());
}

TEST_F(DispatchTest, AnUnacknowledgedOrderIsDeliveredAgainAfterItsLease) {
  Puller puller(*backend_, TokenOf("BR-1"));
  std::string ticket = NewTicketId();
  Send(Created(Repair(ticket, Place("County", "Town", "F-1", "TA-1"))));
  std::optional<dv1::Delivery> first = puller.WaitForTicket(ticket);
  ASSERT_TRUE(first.has_value()) << backend_->Log("dispatch");
  const std::string order_id = first->order().order_id();

  std::vector<dv1::Delivery> deliveries;
  ASSERT_TRUE(WaitUntil(
      [&] {
        deliveries = puller.DeliveriesOf(order_id);
        return deliveries.size() >= 2;
      },
      std::chrono::seconds(15)))
      << "not delivered again";
  const dv1::Delivery& second = deliveries[1];
  EXPECT_NE(second.delivery_id(), first->delivery_id());
  EXPECT_EQ(second.attempt(), 2);
  // The second lease starts no earlier than the first ran out.
  EXPECT_GE(TimeUtil::TimestampToMicroseconds(second.lease_expires_at()) -
                absl::ToInt64Microseconds(kLease),
            TimeUtil::TimestampToMicroseconds(first->lease_expires_at()));

  grpc::Status stale = Ack(TokenOf("BR-1"), order_id, first->delivery_id());
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << stale.error_message();
  std::vector<dv1::Delivery> now = puller.DeliveriesOf(order_id);
  grpc::Status fresh = Ack(TokenOf("BR-1"), order_id, now.back().delivery_id());
  EXPECT_TRUE(fresh.ok()) << fresh.error_message();
}

TEST_F(DispatchTest, TwoPullersOfOneBranchNeverBothOwnAnOrder) {
  // Each puller takes at most 6 unacknowledged orders at once.
  Puller a(*backend_, TokenOf("BR-3"), 6);
  Puller b(*backend_, TokenOf("BR-3"), 6);
  std::set<std::string> tickets;
  std::vector<Event> events;
  for (int i = 0; i < 10; ++i) {
    std::string ticket = NewTicketId();
    tickets.insert(ticket);
    events.push_back(Created(Repair(ticket, Place("County", "Town"))));
  }
  auto accepted = Deliver(*backend_, events);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  ASSERT_EQ(accepted->size(), 10u);

  struct Got {
    std::string puller;
    dv1::Delivery delivery;
  };
  auto ours = [&] {
    std::vector<Got> got;
    for (const auto& [name, puller] :
         std::vector<std::pair<std::string, Puller*>>{{"a", &a}, {"b", &b}}) {
      for (const auto& r : puller->Messages()) {
        if (tickets.count(r.message.delivery().order().ticket_id()) > 0) {
          got.push_back({name, r.message.delivery()});
        }
      }
    }
    return got;
  };
  ASSERT_TRUE(WaitUntil([&] {
    std::set<std::string> orders;
    for (const Got& g : ours()) {
      orders.insert(g.delivery.order().order_id());
    }
    return orders.size() == 10;
  })) << backend_->Log("dispatch");
  std::vector<Got> got = ours();
  std::map<std::string, std::vector<Got>> by_order;
  std::map<std::string, int> by_puller;
  for (const Got& g : got) {
    by_order[g.delivery.order().order_id()].push_back(g);
  }
  for (const auto& [order_id, deliveries] : by_order) {
    // A later delivery of the same order only after the earlier lease ran out.
    for (size_t i = 1; i < deliveries.size(); ++i) {
      EXPECT_GE(TimeUtil::TimestampToMicroseconds(deliveries[i].delivery.lease_expires_at()) -
                    absl::ToInt64Microseconds(kLease),
                TimeUtil::TimestampToMicroseconds(deliveries[i - 1].delivery.lease_expires_at()))
          << order_id << " owned by two deliveries at once";
    }
    ++by_puller[deliveries.front().puller];
  }
  // Neither took more than it asked for, so both got some.
  EXPECT_LE(by_puller["a"], 6);
  EXPECT_LE(by_puller["b"], 6);

  // Each order is acknowledged through exactly one of its deliveries.
  for (const auto& [order_id, deliveries] : by_order) {
    std::set<std::string> acked_by;
    for (const Got& g : deliveries) {
      if (Ack(TokenOf("BR-3"), order_id, g.delivery.delivery_id()).ok()) {
        acked_by.insert(g.delivery.delivery_id());
      }
    }
    EXPECT_EQ(acked_by.size(), 1u) << order_id;
    std::optional<dv1::Order> order =
        WaitOrderOfTicket(*backend_, deliveries.front().delivery.order().ticket_id());
    ASSERT_TRUE(order.has_value());
    EXPECT_EQ(order->status(), dv1::ORDER_STATUS_ACCEPTED) << order_id;
  }
}

TEST_F(DispatchTest, AReturnReroutesAndTheThirdReturnLandsWithADispatcher) {
  std::string ticket = NewTicketId();
  Send(Created(Repair(ticket, Place("County", "Town", "F-1", "TA-1"))));
  std::optional<dv1::Order> order = WaitOrderOfTicket(*backend_, ticket);
  ASSERT_TRUE(order.has_value()) << backend_->Log("dispatch");
  ASSERT_EQ(order->branch_id(), "BR-1");

  dv1::Order moved;
  ASSERT_TRUE(Return(TokenOf("BR-1"), order->order_id(), &moved).ok());
  EXPECT_EQ(moved.branch_id(), "BR-2");
  EXPECT_EQ(moved.status(), dv1::ORDER_STATUS_DISPATCHED);
  EXPECT_EQ(moved.returns(), 1);
  EXPECT_TRUE(absl::StrContains(moved.routing().reason(), "returned by BR-1"))
      << moved.routing().reason();
  // A retried return changes nothing; the order has left BR-1, so BR-1 no
  // longer reads it (as for any other branch's order).
  dv1::Order again;
  EXPECT_EQ(Return(TokenOf("BR-1"), order->order_id(), &again).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  ASSERT_TRUE(Return(TokenOf("BR-2"), order->order_id(), &moved).ok());
  EXPECT_EQ(moved.branch_id(), "BR-3");
  EXPECT_EQ(moved.returns(), 2);  // the retry did not count
  ASSERT_TRUE(Return(TokenOf("BR-3"), order->order_id(), &moved).ok());
  EXPECT_EQ(moved.branch_id(), "");
  EXPECT_TRUE(moved.with_dispatcher());
  EXPECT_EQ(moved.status(), dv1::ORDER_STATUS_WITH_DISPATCHER);
  EXPECT_EQ(moved.routing().rule(), "too_many_returns");
  EXPECT_EQ(moved.returns(), 3);

  std::optional<dv1::Order> full = WaitOrderOfTicket(*backend_, ticket);
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->return_history_size(), 3);
  ASSERT_EQ(full->route_history_size(), 4);
  EXPECT_EQ(full->route_history(3).excluded_branch_ids_size(), 3);

  // It sits in the dispatchers' list; a dispatcher sends it to BR-1 again.
  auto stub = dv1::Dispatch::NewStub(backend_->Channel("dispatch"));
  dv1::ListOrdersRequest list;
  list.set_with_dispatcher(true);
  list.mutable_page()->set_page_size(500);
  dv1::ListOrdersResponse listed;
  auto list_context = Call(backend_->Token("dispatcher"));
  ASSERT_TRUE(stub->ListOrders(list_context.get(), list, &listed).ok());
  bool waiting = false;
  for (const dv1::Order& o : listed.orders()) {
    waiting = waiting || o.order_id() == order->order_id();
  }
  EXPECT_TRUE(waiting);

  dv1::ReassignOrderRequest reassign;
  reassign.set_order_id(order->order_id());
  reassign.set_branch_id("BR-1");
  reassign.set_note("it is on BR-1's transformer after all");
  dv1::Order reassigned;
  auto agent_context = Call(backend_->Token("agent"));
  EXPECT_EQ(stub->ReassignOrder(agent_context.get(), reassign, &reassigned).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto context = Call(backend_->Token("dispatcher"));
  grpc::Status status = stub->ReassignOrder(context.get(), reassign, &reassigned);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reassigned.branch_id(), "BR-1");
  EXPECT_EQ(reassigned.status(), dv1::ORDER_STATUS_DISPATCHED);
  EXPECT_EQ(reassigned.routing().rule(), "reassigned");
  // A retried reassignment changes nothing.
  dv1::Order retried;
  auto retry_context = Call(backend_->Token("dispatcher"));
  ASSERT_TRUE(stub->ReassignOrder(retry_context.get(), reassign, &retried).ok());
  EXPECT_EQ(retried.routing().decided_at().seconds(), reassigned.routing().decided_at().seconds());
  EXPECT_EQ(WaitOrderOfTicket(*backend_, ticket)->route_history_size(), 5);

  auto metrics = backend_->ScrapeMetrics("dispatch");
  ASSERT_TRUE(metrics.ok());
  EXPECT_TRUE(absl::StrContains(
      *metrics, "hotline_orders_returned_total{branch=\"BR-1\",reason=\"not_our_territory\"}"))
      << *metrics;
}

TEST_F(DispatchTest, ABranchCannotActOnAnotherBranchesOrder) {
  Puller br1(*backend_, TokenOf("BR-1"));
  std::string ticket = NewTicketId();
  Send(Created(Repair(ticket, Place("County", "Town", "F-1", "TA-1"))));
  std::optional<dv1::Delivery> delivery = br1.WaitForTicket(ticket);
  ASSERT_TRUE(delivery.has_value()) << backend_->Log("dispatch");
  const std::string order_id = delivery->order().order_id();

  EXPECT_EQ(Ack(TokenOf("BR-2"), order_id, delivery->delivery_id()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  dv1::ReportProgressRequest crew;
  crew.set_order_id(order_id);
  crew.set_step(dv1::PROGRESS_STEP_CREW_ASSIGNED);
  crew.set_crew_lead("Wang Wu");
  crew.set_crew_phone("13900000000");
  EXPECT_EQ(Report(TokenOf("BR-2"), crew).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Return(TokenOf("BR-2"), order_id).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto stub = dv1::Dispatch::NewStub(backend_->Channel("dispatch"));
  dv1::GetOrderRequest get;
  get.set_order_id(order_id);
  dv1::Order seen;
  auto get_context = Call(TokenOf("BR-2"));
  EXPECT_EQ(stub->GetOrder(get_context.get(), get, &seen).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Other roles have no branch to act for.
  EXPECT_EQ(Ack(backend_->Token("agent"), order_id, delivery->delivery_id()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Ack(backend_->Token("admin"), order_id, delivery->delivery_id()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Its own branch may.
  ASSERT_TRUE(Ack(TokenOf("BR-1"), order_id, delivery->delivery_id()).ok());
  EXPECT_TRUE(Report(TokenOf("BR-1"), crew).ok());
}

TEST_F(DispatchTest, ProgressStepsOutOfOrderAreRefused) {
  Puller br1(*backend_, TokenOf("BR-1"));
  std::string ticket = NewTicketId();
  Send(Created(Repair(ticket, Place("County", "Town", "F-1", "TA-1"))));
  std::optional<dv1::Delivery> delivery = br1.WaitForTicket(ticket);
  ASSERT_TRUE(delivery.has_value()) << backend_->Log("dispatch");
  const std::string order_id = delivery->order().order_id();
  auto step = [&](dv1::ProgressStep s, std::optional<absl::Time> at = std::nullopt) {
    dv1::ReportProgressRequest r;
    r.set_order_id(order_id);
    r.set_step(s);
    if (at.has_value()) {
      *r.mutable_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*at));
    }
    return r;
  };
  dv1::ReportProgressRequest crew = step(dv1::PROGRESS_STEP_CREW_ASSIGNED);
  crew.set_crew_lead("Wang Wu");
  crew.set_crew_phone("13900000000");

  // Nothing before the acknowledgement.
  EXPECT_EQ(Report(TokenOf("BR-1"), crew).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Ack(TokenOf("BR-1"), order_id, delivery->delivery_id()).ok());

  const absl::Time now = absl::Now();
  grpc::Status s = Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_DEPARTED, now));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "crew_assigned first")) << s.error_message();
  ASSERT_TRUE(Report(TokenOf("BR-1"), crew).ok());
  EXPECT_EQ(Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_ARRIVED, now)).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_COMPLETED, now)).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  s = Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_DEPARTED, now + absl::Hours(1)));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "at:")) << s.error_message();
  EXPECT_EQ(Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_DEPARTED)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_DEPARTED, now)).ok());
  EXPECT_EQ(Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_ARRIVED, now - absl::Seconds(30)))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(
      Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_ARRIVED, now + absl::Seconds(1))).ok());
  dv1::ReportProgressRequest cause = step(dv1::PROGRESS_STEP_CAUSE_FOUND);
  cause.set_cause("fuse blown in the knife switch");
  cause.set_fault_kind(dv1::FAULT_KIND_FUSE);
  ASSERT_TRUE(Report(TokenOf("BR-1"), cause).ok());
  dv1::ReportProgressRequest estimate = step(dv1::PROGRESS_STEP_ESTIMATED_RESTORE);
  *estimate.mutable_estimated_restore_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now + absl::Hours(1)));
  ASSERT_TRUE(Report(TokenOf("BR-1"), estimate).ok());
  ASSERT_TRUE(
      Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_POWER_RESTORED, now + absl::Seconds(2)))
          .ok());
  dv1::Order resolved;
  ASSERT_TRUE(
      Report(TokenOf("BR-1"), step(dv1::PROGRESS_STEP_COMPLETED, now + absl::Seconds(3)), &resolved)
          .ok());
  EXPECT_EQ(resolved.status(), dv1::ORDER_STATUS_RESOLVED);
  EXPECT_EQ(resolved.progress().crew_lead(), "Wang Wu");
  EXPECT_EQ(resolved.progress().fault_kind(), dv1::FAULT_KIND_FUSE);
  // A retried report is fine; a new one after completion is not.
  EXPECT_TRUE(Report(TokenOf("BR-1"), cause).ok());
  cause.set_cause("the meter box after all");
  EXPECT_EQ(Report(TokenOf("BR-1"), cause).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The ticket learns each step: the events wait in the outbox for intake.
  std::vector<std::string> topics;
  for (const OutboxEvent& e : OutboxFor(*backend_, "intake")) {
    if (e.event.order_id() == order_id) {
      topics.push_back(e.topic);
    }
  }
  std::vector<std::string> expected = {"order.dispatched", "order.accepted", "order.progress",
                                       "order.progress",   "order.progress", "order.progress",
                                       "order.progress",   "order.progress", "order.resolved"};
  EXPECT_EQ(topics, expected);

  auto metrics = backend_->ScrapeMetrics("dispatch");
  ASSERT_TRUE(metrics.ok());
  EXPECT_TRUE(
      absl::StrContains(*metrics, "hotline_order_arrival_seconds_count{area_class=\"rural\"}"))
      << *metrics;
  EXPECT_TRUE(absl::StrContains(*metrics, "hotline_order_dispatch_seconds_count"));
  EXPECT_TRUE(absl::StrContains(
      *metrics, "hotline_orders_dispatched_total{branch=\"BR-1\",type=\"repair\"}"));
  EXPECT_TRUE(absl::StrContains(*metrics, "hotline_orders_pending{branch="));
}

TEST_F(DispatchTest, ACustomerOwnedFaultIsNotDispatchedAndTheTicketGetsTheAdvice) {
  std::string ticket = NewTicketId();
  intake::v1::TicketCreated own = Repair(ticket, Place("County", "Town", "F-1", "TA-1"));
  own.set_equipment_owner(common::v1::EQUIPMENT_OWNER_CUSTOMER);
  own.set_fault_scope(common::v1::FAULT_SCOPE_METER_BOX);
  Send(Created(own));
  std::optional<dv1::Order> order = WaitOrderOfTicket(*backend_, ticket);
  ASSERT_TRUE(order.has_value()) << backend_->Log("dispatch");
  EXPECT_EQ(order->status(), dv1::ORDER_STATUS_NOT_DISPATCHED);
  EXPECT_EQ(order->branch_id(), "");
  EXPECT_TRUE(absl::StrContains(order->advice(), "electrician")) << order->advice();
  EXPECT_EQ(order->routing().rule(), "customer_owned");
  bool advised = false;
  for (const OutboxEvent& e : OutboxFor(*backend_, "intake")) {
    if (e.event.ticket_id() == ticket && e.topic == "order.not_dispatched") {
      advised = e.event.advice() == order->advice();
    }
  }
  EXPECT_TRUE(advised);

  // The same fault with a paid service asked for goes to the township's station.
  std::string paid_ticket = NewTicketId();
  intake::v1::TicketCreated paid = own;
  paid.set_ticket_id(paid_ticket);
  paid.set_wants_paid_service(true);
  Send(Created(paid));
  std::optional<dv1::Order> paid_order = WaitOrderOfTicket(*backend_, paid_ticket);
  ASSERT_TRUE(paid_order.has_value());
  EXPECT_EQ(paid_order->status(), dv1::ORDER_STATUS_DISPATCHED);
  EXPECT_EQ(paid_order->branch_id(), "BR-3");  // the only one taking meter boxes
  EXPECT_TRUE(paid_order->paid_service());
}

TEST_F(DispatchTest, NoMatchWaitsForADispatcher) {
  std::string ticket = NewTicketId();
  Send(Created(Repair(ticket, Place("Elsewhere County", "Far Town"))));
  std::optional<dv1::Order> order = WaitOrderOfTicket(*backend_, ticket);
  ASSERT_TRUE(order.has_value()) << backend_->Log("dispatch");
  EXPECT_EQ(order->status(), dv1::ORDER_STATUS_WITH_DISPATCHER);
  EXPECT_TRUE(order->with_dispatcher());
  EXPECT_EQ(order->routing().rule(), "no_match");
  EXPECT_TRUE(absl::StrContains(order->routing().reason(), "waits for a dispatcher"));
  bool told = false;
  for (const OutboxEvent& e : OutboxFor(*backend_, "intake")) {
    told = told || (e.event.ticket_id() == ticket && e.topic == "order.dispatched" &&
                    e.event.with_dispatcher());
  }
  EXPECT_TRUE(told);
}

TEST_F(DispatchTest, UrgingRaisesUrgencyAndCancellingRemovesTheOrderFromTheQueue) {
  std::string ticket = NewTicketId();
  Send(Created(Repair(ticket, Place("County", "Town", "F-1", "TA-1"))));
  std::optional<dv1::Order> order = WaitOrderOfTicket(*backend_, ticket);
  ASSERT_TRUE(order.has_value()) << backend_->Log("dispatch");
  intake::v1::TicketUrged urged;
  urged.set_ticket_id(ticket);
  urged.set_urgings(1);
  urged.set_urgency(2);
  Send(EventOf("ticket.urged", ticket + ".urged.1", urged, ticket));
  EXPECT_EQ(WaitOrderOfTicket(*backend_, ticket)->urgency(), 2);

  intake::v1::TicketCancelled cancelled;
  cancelled.set_ticket_id(ticket);
  cancelled.set_reason("the customer found the switch was off");
  Send(EventOf("ticket.cancelled", ticket + ".cancelled", cancelled, ticket));
  std::optional<dv1::Order> gone = WaitOrderOfTicket(*backend_, ticket);
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(gone->status(), dv1::ORDER_STATUS_CANCELLED);
  EXPECT_EQ(gone->cancel_reason(), "the customer found the switch was off");

  // A pull now does not get it.
  Puller br1(*backend_, TokenOf("BR-1"));
  std::string probe = NewTicketId();
  Send(Created(Repair(probe, Place("County", "Town", "F-1", "TA-1"))));
  ASSERT_TRUE(br1.WaitForTicket(probe).has_value());
  EXPECT_TRUE(br1.DeliveriesOf(order->order_id()).empty());

  // A cancellation that overtakes its ticket.created is kept and applied.
  std::string early = NewTicketId();
  cancelled.set_ticket_id(early);
  Send(EventOf("ticket.cancelled", early + ".cancelled", cancelled, early));
  Send(Created(Repair(early, Place("County", "Town", "F-1", "TA-1"))));
  EXPECT_EQ(WaitOrderOfTicket(*backend_, early)->status(), dv1::ORDER_STATUS_CANCELLED);
}

TEST_F(DispatchTest, AReconnectingPullerResumesFromItsCursorAndPollsLongPoll) {
  std::string ticket = NewTicketId();
  std::optional<dv1::Delivery> first;
  std::string cursor;
  {
    Puller br2(*backend_, TokenOf("BR-2"));
    Send(Created(Repair(ticket, Place("County", "Town", "F-1"))));
    first = br2.WaitForTicket(ticket);
    ASSERT_TRUE(first.has_value()) << backend_->Log("dispatch");
    for (const auto& r : br2.Messages()) {
      if (r.message.delivery().delivery_id() == first->delivery_id()) {
        cursor = r.message.cursor();
      }
    }
  }
  // Reconnect with the cursor from just before that delivery, as if it had
  // been lost on the broken stream: it comes again at once, under the same
  // lease, not after the lease runs out.
  size_t dot = cursor.find('.');
  ASSERT_NE(dot, std::string::npos) << cursor;
  std::string before =
      absl::StrCat(cursor.substr(0, dot), ".", std::stoll(cursor.substr(dot + 1)) - 1);
  Puller resumed(*backend_, TokenOf("BR-2"), 0, before);
  std::vector<dv1::Delivery> again;
  ASSERT_TRUE(WaitUntil(
      [&] {
        again = resumed.DeliveriesOf(first->order().order_id());
        return !again.empty();
      },
      std::chrono::milliseconds(1500)))
      << "not sent again within its lease";
  EXPECT_EQ(again.front().delivery_id(), first->delivery_id());
  resumed.Close();
  // A cursor this service did not give out is refused.
  Puller bogus(*backend_, TokenOf("BR-2"), 0, "not-a-cursor");
  ASSERT_TRUE(WaitUntil([&] { return bogus.Ended().has_value(); }));
  EXPECT_EQ(bogus.Ended()->error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Long poll: waits, and answers as soon as an order comes.
  auto stub = Branch();
  dv1::PollOrdersRequest poll;
  *poll.mutable_wait() = TimeUtil::MillisecondsToDuration(200);
  dv1::PollOrdersResponse empty;
  auto quick = Call(TokenOf("BR-2"));
  ASSERT_TRUE(stub->PollOrders(quick.get(), poll, &empty).ok());
  EXPECT_FALSE(empty.cursor().empty());

  std::string polled_ticket = NewTicketId();
  *poll.mutable_wait() = TimeUtil::MillisecondsToDuration(10000);
  poll.set_cursor(empty.cursor());
  std::thread later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Send(Created(Repair(polled_ticket, Place("County", "Town", "F-1"))));
  });
  bool found = false;
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!found && absl::Now() < deadline) {
    dv1::PollOrdersResponse answer;
    auto context = Call(TokenOf("BR-2"), absl::Seconds(15));
    grpc::Status status = stub->PollOrders(context.get(), poll, &answer);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const dv1::Delivery& d : answer.deliveries()) {
      found = found || d.order().ticket_id() == polled_ticket;
    }
    poll.set_cursor(answer.cursor());
  }
  later.join();
  EXPECT_TRUE(found);

  dv1::PollOrdersRequest too_long;
  *too_long.mutable_wait() = TimeUtil::SecondsToDuration(3600);
  dv1::PollOrdersResponse refused;
  auto context = Call(TokenOf("BR-2"));
  EXPECT_EQ(stub->PollOrders(context.get(), too_long, &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DispatchTest, BranchesAreUpsertedByAdminsOnlyAndValidated) {
  auto stub = dv1::Dispatch::NewStub(backend_->Channel("dispatch"));
  dv1::Branch b;
  b.set_branch_id("BR-NEW");
  b.set_name("New station");
  b.set_kind("supply_station");
  b.set_area_class(common::v1::AREA_CLASS_URBAN);
  b.add_ticket_types(common::v1::TICKET_TYPE_REPAIR);
  dv1::TerritoryEntry* t = b.add_territory();
  t->set_level(dv1::TERRITORY_LEVEL_TOWNSHIP);
  t->set_value("E2E Province/City");  // too short for a township
  dv1::Branch saved;
  auto dispatcher = Call(backend_->Token("dispatcher"));
  EXPECT_EQ(stub->UpsertBranch(dispatcher.get(), b, &saved).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto admin = Call(backend_->Token("admin"));
  grpc::Status bad = stub->UpsertBranch(admin.get(), b, &saved);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(bad.error_message(), "territory[0]")) << bad.error_message();
  t->set_value("E2E Province/City/County/Other Town");
  b.set_parent_id("NO-SUCH");
  auto admin2 = Call(backend_->Token("admin"));
  bad = stub->UpsertBranch(admin2.get(), b, &saved);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(bad.error_message(), "parent_id")) << bad.error_message();
  b.set_parent_id("BR-3");
  auto admin3 = Call(backend_->Token("admin"));
  ASSERT_TRUE(stub->UpsertBranch(admin3.get(), b, &saved).ok());
  EXPECT_EQ(saved.arrival_limit_minutes(), 45);

  dv1::GetBranchRequest get;
  get.set_branch_id("BR-NEW");
  dv1::Branch read;
  auto agent = Call(backend_->Token("agent"));
  ASSERT_TRUE(stub->GetBranch(agent.get(), get, &read).ok());
  EXPECT_EQ(read.parent_id(), "BR-3");
  ASSERT_EQ(read.territory_size(), 1);
  get.set_branch_id("NO-SUCH");
  auto agent2 = Call(backend_->Token("agent"));
  EXPECT_EQ(stub->GetBranch(agent2.get(), get, &read).error_code(), grpc::StatusCode::NOT_FOUND);

  dv1::ListBranchesRequest list;
  list.mutable_page()->set_page_size(2);
  std::vector<std::string> ids;
  do {
    dv1::ListBranchesResponse page;
    auto context = Call(backend_->Token("agent"));
    ASSERT_TRUE(stub->ListBranches(context.get(), list, &page).ok());
    for (const dv1::Branch& one : page.branches()) {
      ids.push_back(one.branch_id());
    }
    list.mutable_page()->set_cursor(page.page().next_cursor());
  } while (!list.page().cursor().empty());
  EXPECT_EQ(ids, (std::vector<std::string>{"BR-1", "BR-2", "BR-3", "BR-NEW"}));
}

}  // namespace
}  // namespace hotline::testing
