// The order desk against a real PostgreSQL and Redis: intake's ticket events
// applied concurrently, what branch calls answer, and what order events carry.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "dispatch_migrations.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "libs/redis/redis_client.h"
#include "services/dispatch/desk/order_desk.h"
#include "services/dispatch/dispatch_settings.h"
#include "services/dispatch/store/branch_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::dispatch {
namespace {

constexpr char kBranch[] = "BR-FUTIAN";

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

}  // namespace
}  // namespace hotline::dispatch
