// Readable order numbers against a real PostgreSQL: they stay unique (and
// readable) past the millionth order, so no insert is refused for a taken
// number however long the province has been running.

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "dispatch_migrations.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "services/dispatch/store/order_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::dispatch {
namespace {

class OrderNumberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("dispatch_numbers");
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
      absl::StatusOr<bool> inserted = InsertOrder(tx, n);
      if (!inserted.ok()) {
        return inserted.status();
      }
      if (!*inserted) {
        return absl::InternalError("the ticket already had an order");
      }
      absl::StatusOr<OrderRecord> read = LoadOrder(tx, n.order_id, false);
      if (!read.ok()) {
        return read.status();
      }
      number = read->order.order_number();
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
TEST_F(OrderNumberTest, MillionsOfNumbersAreAllDistinct) {
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
TEST_F(OrderNumberTest, TheCounterWidensPastSixDigits) {
  EXPECT_EQ(Insert("t-1", "PD-20261123-"), "PD-20261123-000001");
  Exec("SELECT setval('dispatch.order_numbers', 999998)");
  EXPECT_EQ(Insert("t-2", "PD-20261123-"), "PD-20261123-999999");
  EXPECT_EQ(Insert("t-3", "PD-20261123-"), "PD-20261123-1000000");
  EXPECT_EQ(Insert("t-4", "PD-20261123-"), "PD-20261123-1000001");
  EXPECT_EQ(Insert("t-5", "PD-20261124-"), "PD-20261124-1000002");
}

}  // namespace
}  // namespace hotline::dispatch
