// The order desk against a real PostgreSQL and Redis: intake's ticket events
// applied concurrently, what branch calls answer, what order events carry,
// and survey's callbacks sending resolved orders back to their branch.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "dispatch_migrations.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "libs/auth/token_store.h"
#include "libs/events/event_sink_service.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "libs/redis/redis_client.h"
#include "libs/rpc/handler_pool.h"
#include "services/dispatch/desk/order_desk.h"
#include "services/dispatch/desk/pull_hub.h"
#include "services/dispatch/dispatch_settings.h"
#include "services/dispatch/store/branch_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::dispatch {
namespace {

constexpr char kBranch[] = "BR-FUTIAN";

// A branch system's pull: what it is delivered, in order.
class RecordingSession final : public PullSession {
 public:
  RecordingSession() : PullSession(kBranch, PullCursor::Fresh(), false, 5, std::nullopt) {}

  bool Closed() override { return false; }
  bool Busy() override { return false; }
  void Deliver(std::vector<Delivery> deliveries, const std::string&) override {
    absl::MutexLock lock(&mu_);
    for (Delivery& d : deliveries) {
      deliveries_.push_back(std::move(d));
    }
  }
  void Expire(const std::string&) override {}
  void End(const std::string&) override {}

  std::vector<Delivery> deliveries() {
    absl::MutexLock lock(&mu_);
    return deliveries_;
  }

 private:
  absl::Mutex mu_;
  std::vector<Delivery> deliveries_ ABSL_GUARDED_BY(mu_);
};

class OrderDeskTest : public ::testing::Test {
 protected:
  OrderDeskTest() : clock_(absl::FromUnixSeconds(1'800'000'000)) {}

  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("dispatch_desk");
    options.size = 6;
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "dispatch", dispatch_migrations()).ok());
    testing::RedisTarget target = testing::NewRedisDatabase();
    redis::RedisOptions redis_options;
    redis_options.address = target.address;
    redis_options.db = target.db;
    redis_ = std::make_unique<redis::RedisClient>(redis_options);
    queue_ = std::make_unique<OrderQueue>(*redis_);
    metrics_ = std::make_unique<DispatchMetrics>(registry_);
    desk_ = std::make_unique<OrderDesk>(*pool_, *queue_, *metrics_, DeskOptions{}, clock_,
                                        [](const std::string&) {});
    AddBranch(kBranch, {{v1::TERRITORY_LEVEL_COUNTY, "Guangdong/Shenzhen/Futian"}});
  }

  void AddBranch(const std::string& id, std::vector<Territory> territory) {
    Branch b;
    b.branch_id = id;
    b.name = absl::StrCat("Crew ", id);
    b.kind = "repair_crew";
    b.area_class = common::v1::AREA_CLASS_URBAN;
    b.arrival_limit_minutes = 45;
    b.ticket_types = {common::v1::TICKET_TYPE_REPAIR};
    b.territory = std::move(territory);
    ASSERT_TRUE(
        pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return SaveBranch(tx, b); }).ok());
  }

  static common::v1::Address FutianAddress() {
    common::v1::Address a;
    a.set_province("Guangdong");
    a.set_city("Shenzhen");
    a.set_county("Futian");
    a.set_street("Shennan Road 1");
    return a;
  }

  static common::v1::Event Created(const std::string& ticket_id,
                                   const common::v1::Address& address) {
    intake::v1::TicketCreated t;
    t.set_ticket_id(ticket_id);
    t.set_ticket_number(absl::StrCat("GD-", ticket_id));
    t.set_type(common::v1::TICKET_TYPE_REPAIR);
    *t.mutable_address() = address;
    common::v1::Event e;
    e.set_event_id(absl::StrCat("created-", ticket_id));
    e.set_topic("ticket.created");
    e.mutable_payload()->PackFrom(t);
    return e;
  }

  static common::v1::Event Cancelled(const std::string& ticket_id) {
    intake::v1::TicketCancelled c;
    c.set_ticket_id(ticket_id);
    c.set_reason("the customer found the fault was theirs");
    common::v1::Event e;
    e.set_event_id(absl::StrCat("cancelled-", ticket_id));
    e.set_topic("ticket.cancelled");
    e.mutable_payload()->PackFrom(c);
    return e;
  }

  // survey's callback.completed for the ticket's order at kBranch.
  static common::v1::Event CallbackCompleted(const std::string& event_id,
                                             const std::string& ticket_id,
                                             const std::string& order_id,
                                             survey::v1::CallbackOutcome outcome,
                                             const std::string& comment) {
    const bool dissatisfied = outcome == survey::v1::CALLBACK_OUTCOME_DISSATISFIED;
    survey::v1::CallbackEvent c;
    c.set_task_id(absl::StrCat("task-", event_id));
    c.set_ticket_id(ticket_id);
    c.set_ticket_number(absl::StrCat("GD-", ticket_id));
    c.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
    c.set_branch_id(kBranch);
    c.set_order_id(order_id);
    c.set_outcome(outcome);
    c.set_satisfaction(dissatisfied ? survey::v1::SATISFACTION_DISSATISFIED
                                    : survey::v1::SATISFACTION_SATISFIED);
    c.set_solved(!dissatisfied);
    c.set_comment(comment);
    c.set_attempts(1);
    common::v1::Event e;
    e.set_event_id(event_id);
    e.set_topic("callback.completed");
    e.mutable_payload()->PackFrom(c);
    return e;
  }

  // The database's clock: times of progress reports must not lie ahead of it.
  absl::Time DbNow() {
    absl::StatusOr<int64_t> micros =
        pg::WithTransactionResult<int64_t>(*pool_, [](pqxx::work& tx) -> absl::StatusOr<int64_t> {
          return tx.exec1("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")[0]
              .as<int64_t>();
        });
    EXPECT_TRUE(micros.ok()) << micros.status();
    return absl::FromUnixMicros(micros.value_or(0));
  }

  // The branch takes its delivery of the order and reports the repair done.
  void AcceptAndResolve(OrderDesk& desk, const Delivery& delivery) {
    const std::string& order_id = delivery.record.order.order_id();
    absl::StatusOr<v1::Order> accepted = desk.Ack(kBranch, order_id, delivery.delivery_id);
    ASSERT_TRUE(accepted.ok()) << accepted.status();
    ProgressReport crew;
    crew.step = v1::PROGRESS_STEP_CREW_ASSIGNED;
    crew.crew_lead = "Wang Qiang";
    crew.crew_phone = "13800138000";
    ASSERT_TRUE(desk.Report(kBranch, order_id, crew).ok());
    for (ProgressStep step :
         {v1::PROGRESS_STEP_DEPARTED, v1::PROGRESS_STEP_ARRIVED, v1::PROGRESS_STEP_COMPLETED}) {
      ProgressReport report;
      report.step = step;
      report.at = DbNow();
      report.note = step == v1::PROGRESS_STEP_COMPLETED ? "fuse replaced" : "";
      absl::StatusOr<v1::Order> reported = desk.Report(kBranch, order_id, report);
      ASSERT_TRUE(reported.ok()) << v1::ProgressStep_Name(step) << ": " << reported.status();
    }
  }

  // (topic, destination, payload) of the outbox, oldest first.
  std::vector<std::tuple<std::string, std::string, v1::OrderEvent>> Outbox() {
    std::vector<std::tuple<std::string, std::string, v1::OrderEvent>> sent;
    EXPECT_TRUE(Apply([&](pqxx::work& tx) -> absl::Status {
                  for (const pqxx::row& row :
                       tx.exec("SELECT topic, destination, payload FROM dispatch.outbox "
                               "ORDER BY id")) {
                    common::v1::Event event;
                    EXPECT_TRUE(event.ParseFromString(pqxx::binarystring(row[2]).str()));
                    v1::OrderEvent payload;
                    EXPECT_TRUE(event.payload().UnpackTo(&payload));
                    sent.emplace_back(row[0].as<std::string>(), row[1].as<std::string>(), payload);
                  }
                  return absl::OkStatus();
                }).ok());
    return sent;
  }

  absl::Status Apply(const std::function<absl::Status(pqxx::work&)>& fn) {
    return pg::WithTransaction(*pool_, fn);
  }

  // Whether some transaction of this test's database waits for a lock.
  bool SomeoneWaitsForALock() {
    absl::StatusOr<bool> waits =
        pg::WithTransactionResult<bool>(*pool_, [](pqxx::work& tx) -> absl::StatusOr<bool> {
          return tx.exec1(
                       "SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND wait_event_type = 'Lock'")[0]
                     .as<int>() > 0;
        });
    return waits.ok() && *waits;
  }

  // Applies `first` in a transaction that stays open until `second`,
  // applied on another connection, has either finished or is waiting for a
  // lock; then commits it and waits for `second`. The two orders of events
  // at the same moment, made deterministic.
  void Interleave(const std::function<absl::Status(pqxx::work&)>& first,
                  const std::function<absl::Status(pqxx::work&)>& second) {
    std::atomic<bool> first_applied{false};
    std::atomic<bool> second_done{false};
    absl::Status first_status;
    std::thread holder([&] {
      first_status = Apply([&](pqxx::work& tx) -> absl::Status {
        if (absl::Status s = first(tx); !s.ok()) {
          return s;
        }
        first_applied = true;
        testing::WaitUntil([&] { return second_done.load() || SomeoneWaitsForALock(); });
        return absl::OkStatus();
      });
      first_applied = true;  // also when it failed, so the test does not hang
    });
    testing::WaitUntil([&] { return first_applied.load(); });
    absl::Status second_status = Apply(second);
    second_done = true;
    holder.join();
    EXPECT_TRUE(first_status.ok()) << first_status;
    EXPECT_TRUE(second_status.ok()) << second_status;
  }

  std::optional<OrderRecord> OrderOf(const std::string& ticket_id) {
    absl::StatusOr<std::optional<OrderRecord>> found =
        pg::WithTransactionResult<std::optional<OrderRecord>>(
            *pool_, [&](pqxx::work& tx) { return FindOrderOfTicket(tx, ticket_id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  clock::ManualClock clock_;
  prometheus::Registry registry_;
  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<OrderQueue> queue_;
  std::unique_ptr<DispatchMetrics> metrics_;
  std::unique_ptr<OrderDesk> desk_;
};

// ticket.created and ticket.cancelled of one ticket applied at the same
// moment, in both orders: whichever commits first, the other sees it, and
// the ticket's order ends cancelled, never dispatched.
TEST_F(OrderDeskTest, CancelAndCreateAtTheSameMomentLeaveTheOrderCancelled) {
  auto create = [this](const std::string& id) {
    return [this, id](pqxx::work& tx) {
      return desk_->OnTicketCreated(tx, Created(id, FutianAddress()));
    };
  };
  auto cancel = [this](const std::string& id) {
    return [this, id](pqxx::work& tx) { return desk_->OnTicketCancelled(tx, Cancelled(id)); };
  };

  Interleave(create("t-create-first"), cancel("t-create-first"));
  std::optional<OrderRecord> order = OrderOf("t-create-first");
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->order.status(), v1::ORDER_STATUS_CANCELLED)
      << "created first, cancelled while it was being applied: "
      << v1::OrderStatus_Name(order->order.status());

  Interleave(cancel("t-cancel-first"), create("t-cancel-first"));
  order = OrderOf("t-cancel-first");
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->order.status(), v1::ORDER_STATUS_CANCELLED)
      << "cancelled first, created while it was being applied: "
      << v1::OrderStatus_Name(order->order.status());
}

// Intake asks only for the county and the street: a repair without province
// or city (and typed in another width and case) reaches the branch that owns
// its county, through the store's look-up and the routing rules together.
TEST_F(OrderDeskTest, RepairWithOnlyCountyAndStreetReachesTheCountysBranch) {
  AddBranch("BR-LUOHU", {{v1::TERRITORY_LEVEL_COUNTY, "Guangdong/Shenzhen/Luohu"}});
  common::v1::Address partial;
  partial.set_county("ＦＵＴＩＡＮ ");
  partial.set_street("Shennan Road 1");
  ASSERT_TRUE(Apply([&](pqxx::work& tx) {
                return desk_->OnTicketCreated(tx, Created("t-partial", partial));
              }).ok());
  std::optional<OrderRecord> order = OrderOf("t-partial");
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->order.status(), v1::ORDER_STATUS_DISPATCHED) << order->order.routing().reason();
  EXPECT_EQ(order->order.branch_id(), kBranch) << order->order.routing().reason();
}

// A branch that returned an order and retries that return (same key) after
// the order moved to another branch is a former owner like any other: it
// gets PERMISSION_DENIED, as for every call on another branch's order, and
// never the order as it is now at its new branch.
TEST_F(OrderDeskTest, FormerOwnerRetryingItsReturnDoesNotSeeTheMovedOrder) {
  AddBranch("BR-OTHER", {{v1::TERRITORY_LEVEL_COUNTY, "Guangdong/Shenzhen/Luohu"}});
  ASSERT_TRUE(Apply([this](pqxx::work& tx) {
                return desk_->OnTicketCreated(tx, Created("t-return", FutianAddress()));
              }).ok());
  std::optional<OrderRecord> order = OrderOf("t-return");
  ASSERT_TRUE(order.has_value());
  ASSERT_EQ(order->order.branch_id(), kBranch);

  ReturnRequest request;
  request.reason = v1::RETURN_REASON_NOT_OUR_TERRITORY;
  request.belongs_to = "BR-OTHER";
  request.idempotency_key = "return-1";
  absl::StatusOr<v1::Order> returned = desk_->Return(kBranch, order->order.order_id(), request);
  ASSERT_TRUE(returned.ok()) << returned.status();
  ASSERT_EQ(returned->branch_id(), "BR-OTHER");

  absl::StatusOr<v1::Order> again = desk_->Return(kBranch, order->order.order_id(), request);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kPermissionDenied) << again.status();
  EXPECT_FALSE(again.ok() && again->branch_id() == "BR-OTHER")
      << "the former owner read the order at its new branch";

  // A branch that never held the order is refused the same way.
  absl::StatusOr<v1::Order> stranger = desk_->Return("BR-NOBODY", order->order.order_id(), request);
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kPermissionDenied) << stranger.status();
}

// Order events carry the ticket's facts and the superior (parent) branch of
// the order's branch, for sla's clocks, and go to intake and sla by default.
TEST_F(OrderDeskTest, OrderEventsCarryTheTicketsFactsAndTheSuperiorBranch) {
  Branch city;
  city.branch_id = "BR-SHENZHEN";
  city.name = "Shenzhen supply bureau";
  city.kind = "supply_station";
  city.area_class = common::v1::AREA_CLASS_URBAN;
  city.arrival_limit_minutes = 45;
  absl::Status saved =
      pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return SaveBranch(tx, city); });
  ASSERT_TRUE(saved.ok()) << saved;
  absl::StatusOr<Branch> crew = pg::WithTransactionResult<Branch>(
      *pool_, [](pqxx::work& tx) { return LoadBranch(tx, kBranch); });
  ASSERT_TRUE(crew.ok()) << crew.status();
  crew->parent_id = city.branch_id;
  saved = pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return SaveBranch(tx, *crew); });
  ASSERT_TRUE(saved.ok()) << saved;
  AddBranch("BR-LUOHU", {{v1::TERRITORY_LEVEL_COUNTY, "Guangdong/Shenzhen/Luohu"}});

  DispatchSettings defaults;
  ASSERT_EQ(defaults.Destinations(), (std::vector<std::string>{"intake", "sla"}));
  DeskOptions options;
  options.destinations = defaults.Destinations();
  OrderDesk desk(*pool_, *queue_, *metrics_, options, clock_, [](const std::string&) {});

  common::v1::Address address = FutianAddress();
  address.set_area_class(common::v1::AREA_CLASS_RURAL);
  ASSERT_TRUE(Apply([&](pqxx::work& tx) {
                return desk.OnTicketCreated(tx, Created("t-facts", address));
              }).ok());
  std::optional<OrderRecord> order = OrderOf("t-facts");
  ASSERT_TRUE(order.has_value());
  ASSERT_EQ(order->order.branch_id(), kBranch) << order->order.routing().reason();
  ReturnRequest back;
  back.reason = v1::RETURN_REASON_NOT_OUR_TERRITORY;
  back.belongs_to = "BR-LUOHU";
  ASSERT_TRUE(desk.Return(kBranch, order->order.order_id(), back).ok());

  // (topic, destination, payload) of the outbox, oldest first.
  std::vector<std::tuple<std::string, std::string, v1::OrderEvent>> sent;
  ASSERT_TRUE(Apply([&](pqxx::work& tx) -> absl::Status {
                for (const pqxx::row& row : tx.exec(
                         "SELECT topic, destination, payload FROM dispatch.outbox ORDER BY id")) {
                  common::v1::Event event;
                  EXPECT_TRUE(event.ParseFromString(pqxx::binarystring(row[2]).str()));
                  v1::OrderEvent payload;
                  EXPECT_TRUE(event.payload().UnpackTo(&payload));
                  sent.emplace_back(row[0].as<std::string>(), row[1].as<std::string>(), payload);
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(sent.size(), 4u);
  for (const auto& [topic, destination, event] : sent) {
    EXPECT_EQ(event.ticket_id(), "t-facts");
    EXPECT_EQ(event.ticket_number(), "GD-t-facts") << topic << " to " << destination;
    EXPECT_EQ(event.ticket_type(), common::v1::TICKET_TYPE_REPAIR) << topic;
    EXPECT_EQ(event.area_class(), common::v1::AREA_CLASS_RURAL) << topic;
  }
  EXPECT_EQ(std::get<0>(sent[0]), "order.dispatched");
  EXPECT_EQ(std::get<1>(sent[0]), "intake");
  EXPECT_EQ(std::get<1>(sent[1]), "sla");
  EXPECT_EQ(std::get<2>(sent[0]).superior_branch_id(), "BR-SHENZHEN");
  EXPECT_EQ(std::get<2>(sent[1]).superior_branch_id(), "BR-SHENZHEN");
  // Returned to a branch without a parent: none.
  EXPECT_EQ(std::get<0>(sent[2]), "order.returned");
  EXPECT_EQ(std::get<2>(sent[2]).branch_id(), "BR-LUOHU");
  EXPECT_EQ(std::get<2>(sent[2]).superior_branch_id(), "");
  EXPECT_EQ(std::get<1>(sent[3]), "sla");
}

// survey's callback.completed, through dispatch's event sink: a customer who
// is dissatisfied and says the problem is not solved sends the resolved
// order back to the branch that resolved it. The branch's pull gets it again
// (its Redis queue and its pulls learn of it like a new order's), with the
// customer's words, and intake and sla get order.dispatched marked as a
// reopening. A satisfied callback changes nothing, and neither does a second
// dissatisfied one while the order is not resolved again.
TEST_F(OrderDeskTest, DissatisfiedCallbackSendsTheResolvedOrderBackToItsBranch) {
  clock::ShiftedClock hub_clock;
  PullOptions pull;
  pull.lease = absl::Minutes(5);
  pull.poll_interval = absl::Minutes(10);  // deliveries follow the desk's wake-ups alone
  PullHub hub(*pool_, *queue_, pull, hub_clock);
  DeskOptions options;
  options.destinations = {"intake", "sla"};
  OrderDesk desk(*pool_, *queue_, *metrics_, options, clock_,
                 [&hub](const std::string& branch) { hub.Wake(branch); });
  absl::StatusOr<auth::TokenStore> tokens = auth::TokenStore::Parse("");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  rpc::HandlerPool handlers({1, 8});
  events::EventSinkService sink(*pool_, "dispatch", *tokens, handlers);
  SubscribeOrderDesk(sink, desk);
  hub.Start();
  auto branch_system = std::make_shared<RecordingSession>();
  hub.Add(branch_system);
  auto delivered = [&](size_t n) {
    return testing::WaitUntil([&] { return branch_system->deliveries().size() >= n; },
                              std::chrono::seconds(5));
  };
  auto dispatched_events = [&] {
    std::vector<std::pair<std::string, v1::OrderEvent>> out;
    for (const auto& [topic, destination, event] : Outbox()) {
      if (topic == "order.dispatched") {
        out.emplace_back(destination, event);
      }
    }
    return out;
  };

  ASSERT_TRUE(sink.Apply(Created("t-callback", FutianAddress())).ok());
  ASSERT_TRUE(delivered(1)) << "the new order never reached the branch's pull";
  const Delivery first = branch_system->deliveries()[0];
  const std::string order_id = first.record.order.order_id();
  AcceptAndResolve(desk, first);
  ASSERT_FALSE(HasFatalFailure());
  ASSERT_EQ(dispatched_events().size(), 2u);  // the first dispatch, to intake and sla

  // Satisfied: the order stays resolved, nothing is sent.
  ASSERT_TRUE(sink.Apply(CallbackCompleted("cb-satisfied", "t-callback", order_id,
                                           survey::v1::CALLBACK_OUTCOME_SATISFIED, "all good"))
                  .ok());
  absl::StatusOr<v1::Order> order = desk.Get(order_id);
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->status(), v1::ORDER_STATUS_RESOLVED);
  EXPECT_EQ(order->reopens(), 0);
  EXPECT_EQ(dispatched_events().size(), 2u);

  // Dissatisfied, problem not solved: back to the branch that resolved it.
  ASSERT_TRUE(sink.Apply(CallbackCompleted("cb-dissatisfied", "t-callback", order_id,
                                           survey::v1::CALLBACK_OUTCOME_DISSATISFIED,
                                           "the lights still flicker every evening"))
                  .ok());
  const std::string reason =
      "callback: customer dissatisfied, problem not solved: the lights still flicker every "
      "evening";
  ASSERT_TRUE(delivered(2)) << "the order sent back never reached the branch's pull again";
  const Delivery again = branch_system->deliveries()[1];
  EXPECT_EQ(again.record.order.order_id(), order_id);
  EXPECT_EQ(again.record.order.branch_id(), kBranch);
  EXPECT_EQ(again.record.order.status(), v1::ORDER_STATUS_DISPATCHED);
  EXPECT_EQ(again.record.order.reopened_reason(), reason);
  EXPECT_EQ(again.record.order.reopens(), 1);
  EXPECT_EQ(again.record.order.progress().last_step(), v1::PROGRESS_STEP_UNSPECIFIED)
      << "the branch reports the repair anew";
  EXPECT_TRUE(again.record.order.has_arrival_due_at()) << "a repair gets its arrival limit again";
  EXPECT_FALSE(again.record.order.has_resolved_at());

  std::vector<std::pair<std::string, v1::OrderEvent>> sent = dispatched_events();
  ASSERT_EQ(sent.size(), 4u) << "one order.dispatched for intake and one for sla";
  EXPECT_EQ(sent[2].first, "intake");
  EXPECT_EQ(sent[3].first, "sla");
  for (size_t i = 2; i < sent.size(); ++i) {
    const v1::OrderEvent& e = sent[i].second;
    EXPECT_TRUE(e.reopened_by_callback()) << sent[i].first;
    EXPECT_EQ(e.reopened_reason(), reason) << sent[i].first;
    EXPECT_EQ(e.reopens(), 1);
    EXPECT_EQ(e.order_id(), order_id);
    EXPECT_EQ(e.ticket_id(), "t-callback");
    EXPECT_EQ(e.branch_id(), kBranch);
    EXPECT_EQ(e.ticket_number(), "GD-t-callback");
    EXPECT_TRUE(e.has_arrival_due_at());
  }
  EXPECT_FALSE(sent[0].second.reopened_by_callback()) << "the first dispatch is no reopening";

  // The history keeps what happened before, and says why it went back.
  order = desk.Get(order_id);
  ASSERT_TRUE(order.ok()) << order.status();
  ASSERT_FALSE(order->route_history().empty());
  EXPECT_EQ(order->route_history(order->route_history_size() - 1).rule(), "reopened_by_callback");
  EXPECT_EQ(order->route_history(order->route_history_size() - 1).branch_id(), kBranch);
  std::vector<std::string> steps;
  ASSERT_TRUE(Apply([&](pqxx::work& tx) -> absl::Status {
                for (const pqxx::row& row :
                     tx.exec_params("SELECT step FROM dispatch.order_progress WHERE order_id = $1 "
                                    "ORDER BY position",
                                    order_id)) {
                  steps.push_back(row[0].as<std::string>());
                }
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(steps, (std::vector<std::string>{"crew_assigned", "departed", "arrived", "completed",
                                             "reopened"}));

  // The branch takes it again; a second dissatisfied callback for the order
  // not resolved again changes nothing more.
  absl::StatusOr<v1::Order> accepted = desk.Ack(kBranch, order_id, again.delivery_id);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  ASSERT_TRUE(
      sink.Apply(CallbackCompleted("cb-dissatisfied-again", "t-callback", order_id,
                                   survey::v1::CALLBACK_OUTCOME_DISSATISFIED, "still flickering"))
          .ok());
  order = desk.Get(order_id);
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->status(), v1::ORDER_STATUS_ACCEPTED);
  EXPECT_EQ(order->reopens(), 1);
  EXPECT_EQ(order->reopened_reason(), reason);
  EXPECT_EQ(dispatched_events().size(), 4u);

  // Resolved again, a new dissatisfied callback sends it back again.
  AcceptAndResolve(desk, again);
  ASSERT_TRUE(sink.Apply(CallbackCompleted("cb-second-round", "t-callback", "",
                                           survey::v1::CALLBACK_OUTCOME_DISSATISFIED, ""))
                  .ok());
  ASSERT_TRUE(delivered(3));
  EXPECT_EQ(branch_system->deliveries()[2].record.order.reopens(), 2);
  EXPECT_EQ(branch_system->deliveries()[2].record.order.reopened_reason(),
            "callback: customer dissatisfied, problem not solved")
      << "found by its ticket when survey gives no order id";

  // Unknown orders and unreadable payloads are acknowledged and change nothing.
  EXPECT_TRUE(sink.Apply(CallbackCompleted("cb-unknown", "t-nobody", "no-such-order",
                                           survey::v1::CALLBACK_OUTCOME_DISSATISFIED, "?"))
                  .ok());
  common::v1::Event unreadable = Created("t-wrong-payload", FutianAddress());
  unreadable.set_event_id("cb-unreadable");
  unreadable.set_topic("callback.completed");
  EXPECT_TRUE(sink.Apply(unreadable).ok());
  EXPECT_EQ(dispatched_events().size(), 6u);
  hub.Stop();
}

}  // namespace
}  // namespace hotline::dispatch
