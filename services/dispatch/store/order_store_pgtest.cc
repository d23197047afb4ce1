// The order store against a real PostgreSQL: readable order numbers stay
// unique (and readable) past the millionth order, so no insert is refused for
// a taken number however long the province has been running; a new order
// comes back as stored, with its first route, once a ticket; a ticket's
// updates are read while it has no order.

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "dispatch_migrations.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "services/dispatch/store/branch_store.h"
#include "services/dispatch/store/order_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::dispatch {
namespace {

class OrderStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("dispatch_order_store");
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "dispatch", dispatch_migrations()).ok());
  }

  // Inserts an order (to the dispatchers) for `ticket_id`; its number.
  std::string Insert(const std::string& ticket_id, const std::string& prefix) {
    std::string number;
    absl::Status s = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
      NewOrder n;
      n.order_id = absl::StrCat("order-", ticket_id);
      n.number_prefix = prefix;
      n.ticket.set_ticket_id(ticket_id);
      n.ticket.set_type(common::v1::TICKET_TYPE_REPAIR);
      n.route.destination = Destination::kDispatcher;
      n.route.rule = "no_match";
      n.route.reason = "test";
      n.status = v1::ORDER_STATUS_WITH_DISPATCHER;
      absl::StatusOr<std::optional<OrderRecord>> inserted = InsertOrder(tx, n);
      if (!inserted.ok()) {
        return inserted.status();
      }
      if (!inserted->has_value()) {
        return absl::InternalError("the ticket already had an order");
      }
      number = (*inserted)->order.order_number();
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return number;
  }

  void Exec(const std::string& sql) {
    absl::Status s = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
      tx.exec(sql);
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  std::unique_ptr<pg::Pool> pool_;
};

// Years of a province's orders, numbered on one day (the worst case for a
// counter shown after the date): 1,200,000 numbers, none twice, all readable.
TEST_F(OrderStoreTest, MillionsOfNumbersAreAllDistinct) {
  constexpr int64_t kNumbers = 1'200'000;
  absl::Status s = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
    pqxx::row r = tx.exec_params1(
        "SELECT count(*), count(DISTINCT n), "
        "  count(*) FILTER (WHERE n !~ '^PD-20261123-[0-9]{6,}$'), max(length(n)) "
        "FROM (SELECT dispatch.next_order_number('PD-20261123-') AS n "
        "      FROM generate_series(1, $1::bigint)) AS numbers",
        kNumbers);
    EXPECT_EQ(r[0].as<int64_t>(), kNumbers);
    EXPECT_EQ(r[1].as<int64_t>(), kNumbers) << "numbers repeated";
    EXPECT_EQ(r[2].as<int64_t>(), 0) << "numbers not of the form PD-YYYYMMDD-NNNNNN...";
    EXPECT_EQ(r[3].as<int>(), static_cast<int>(std::string("PD-20261123-1200000").size()));
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
}

// Orders made around the millionth keep distinct numbers: the counter widens
// instead of being cut to six digits (which made "PD-20261123-100000" of
// 1,000,000 to 1,000,009 and refused nine inserts in ten).
TEST_F(OrderStoreTest, TheCounterWidensPastSixDigits) {
  EXPECT_EQ(Insert("t-1", "PD-20261123-"), "PD-20261123-000001");
  Exec("SELECT setval('dispatch.order_numbers', 999998)");
  EXPECT_EQ(Insert("t-2", "PD-20261123-"), "PD-20261123-999999");
  EXPECT_EQ(Insert("t-3", "PD-20261123-"), "PD-20261123-1000000");
  EXPECT_EQ(Insert("t-4", "PD-20261123-"), "PD-20261123-1000001");
  EXPECT_EQ(Insert("t-5", "PD-20261124-"), "PD-20261124-1000002");
}

// A repair routed to a branch: what InsertOrder returns is the order as a
// later read finds it, its first route is recorded, and a second order for the
// same ticket is refused with nothing written.
TEST_F(OrderStoreTest, ANewOrderComesBackAsStoredOnceATicket) {
  Branch branch;
  branch.branch_id = "BR-1";
  branch.name = "Crew 1";
  branch.kind = "repair_crew";
  branch.area_class = common::v1::AREA_CLASS_URBAN;
  branch.arrival_limit_minutes = 45;
  branch.ticket_types = {common::v1::TICKET_TYPE_REPAIR};
  branch.territory = {{v1::TERRITORY_LEVEL_COUNTY, "Guangdong/Shenzhen/Futian"}};
  const absl::Status saved =
      pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return SaveBranch(tx, branch); });
  ASSERT_TRUE(saved.ok()) << saved;

  NewOrder n;
  n.order_id = "order-a";
  n.number_prefix = "PD-20261207-";
  n.ticket.set_ticket_id("ticket-a");
  n.ticket.set_ticket_number("GD-a");
  n.ticket.set_type(common::v1::TICKET_TYPE_REPAIR);
  n.ticket.mutable_address()->set_county("Futian");
  n.route.destination = Destination::kBranch;
  n.route.branch_id = "BR-1";
  n.route.rule = "territory_match";
  n.route.matched_level = v1::TERRITORY_LEVEL_COUNTY;
  n.route.matched_value = "Guangdong/Shenzhen/Futian";
  n.route.reason = "the county's crew";
  n.route.excluded = {"BR-0"};
  n.route.work_scope = "low_voltage";
  n.route.candidates = 2;
  n.status = v1::ORDER_STATUS_DISPATCHED;
  n.arrival_limit_minutes = 45;
  n.urgency = 2;
  n.urgings = 1;

  std::optional<OrderRecord> inserted;
  OrderRecord read;
  v1::Order with_history;
  ASSERT_TRUE(pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
                absl::StatusOr<std::optional<OrderRecord>> r = InsertOrder(tx, n);
                if (!r.ok()) {
                  return r.status();
                }
                inserted = *r;
                absl::StatusOr<OrderRecord> loaded = LoadOrder(tx, n.order_id, false);
                if (!loaded.ok()) {
                  return loaded.status();
                }
                read = *loaded;
                with_history = read.order;
                return LoadOrderHistory(tx, with_history);
              }).ok());
  ASSERT_TRUE(inserted.has_value());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(inserted->order, read.order))
      << "inserted: " << inserted->order.DebugString() << "\nread: " << read.order.DebugString();
  EXPECT_EQ(inserted->seq, read.seq);
  EXPECT_EQ(inserted->order.order_number(), "PD-20261207-000001");
  EXPECT_EQ(inserted->order.status(), v1::ORDER_STATUS_DISPATCHED);
  EXPECT_EQ(inserted->order.branch_id(), "BR-1");
  EXPECT_EQ(inserted->order.urgency(), 2);
  EXPECT_TRUE(inserted->order.has_dispatched_at());
  EXPECT_TRUE(inserted->order.has_arrival_due_at());
  EXPECT_EQ(inserted->order.address().county(), "Futian");
  ASSERT_EQ(with_history.route_history_size(), 1);
  EXPECT_EQ(with_history.route_history(0).branch_id(), "BR-1");
  EXPECT_EQ(with_history.route_history(0).rule(), "territory_match");
  EXPECT_EQ(with_history.route_history(0).matched_value(), "Guangdong/Shenzhen/Futian");
  EXPECT_EQ(with_history.route_history(0).reason(), "the county's crew");
  EXPECT_EQ(with_history.route_history(0).decided_by(), "routing");
  EXPECT_EQ(with_history.route_history(0).matched_level(), v1::TERRITORY_LEVEL_COUNTY);
  EXPECT_EQ(with_history.route_history(0).candidates(), 2);
  EXPECT_EQ(with_history.route_history(0).work_scope(), "low_voltage");
  EXPECT_EQ(inserted->order.work_scope(), "low_voltage");
  ASSERT_EQ(with_history.route_history(0).excluded_branch_ids_size(), 1);
  EXPECT_EQ(with_history.route_history(0).excluded_branch_ids(0), "BR-0");

  // The same ticket again, under another order id.
  NewOrder again = n;
  again.order_id = "order-b";
  std::optional<OrderRecord> second;
  v1::Order after = read.order;
  after.clear_route_history();
  ASSERT_TRUE(pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
                absl::StatusOr<std::optional<OrderRecord>> r = InsertOrder(tx, again);
                if (!r.ok()) {
                  return r.status();
                }
                second = *r;
                EXPECT_EQ(LoadOrder(tx, "order-b", false).status().code(),
                          absl::StatusCode::kNotFound);
                return LoadOrderHistory(tx, after);
              }).ok());
  EXPECT_FALSE(second.has_value());
  EXPECT_EQ(after.route_history_size(), 1);
}

// A ticket's urgings and cancellation are read in the same statement that
// learns whether it has an order; once it has one, nothing is returned.
TEST_F(OrderStoreTest, TicketUpdatesAreReadWhileTheTicketHasNoOrder) {
  auto read = [&](const std::string& ticket_id) {
    std::optional<TicketUpdate> update;
    EXPECT_TRUE(pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
                  absl::StatusOr<std::optional<TicketUpdate>> r =
                      LoadUpdatesOfTicketWithoutOrder(tx, ticket_id);
                  if (!r.ok()) {
                    return r.status();
                  }
                  update = *r;
                  return absl::OkStatus();
                }).ok());
    return update;
  };
  std::optional<TicketUpdate> none = read("t-quiet");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->urgency, 0);
  EXPECT_EQ(none->urgings, 0);
  EXPECT_FALSE(none->cancelled_at.has_value());

  const absl::Time cancelled = absl::FromUnixSeconds(1'800'000'000);
  ASSERT_TRUE(pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
                absl::Status s = SaveUrging(tx, "t-busy", 3, 2);
                if (!s.ok()) {
                  return s;
                }
                return SaveCancellation(tx, "t-busy", cancelled, "customer fixed it");
              }).ok());
  std::optional<TicketUpdate> busy = read("t-busy");
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->urgency, 3);
  EXPECT_EQ(busy->urgings, 2);
  EXPECT_EQ(busy->cancelled_at, cancelled);
  EXPECT_EQ(busy->cancel_reason, "customer fixed it");

  Insert("t-busy", "PD-20261207-");
  EXPECT_FALSE(read("t-busy").has_value());
}

}  // namespace
}  // namespace hotline::dispatch
