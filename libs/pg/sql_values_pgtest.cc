#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "libs/pg/sql_values.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::pg {
namespace {

using ::hotline::testing::NewPostgresDatabase;

class SqlValuesTest : public ::testing::Test {
 protected:
  std::string uri_ = NewPostgresDatabase("sqlvalues");
  pqxx::connection connection_{uri_};
};

TEST_F(SqlValuesTest, ATimeGoesInAndComesBackToTheMicrosecond) {
  const absl::Time t = absl::FromUnixMicros(1796384328123457);
  pqxx::nontransaction tx(connection_);
  pqxx::row row = tx.exec_params1(
      "SELECT " HOTLINE_PG_MICROS(HOTLINE_PG_TIME("$1")) ", " HOTLINE_PG_TIME("$1") "::text",
      MicrosParam(t));
  EXPECT_EQ(RequiredTimeOf(row[0]), t);
  EXPECT_EQ(TimeOf(row[0]), t);
  // The timestamptz is the same instant PostgreSQL reads from its own text form.
  pqxx::row same = tx.exec_params1("SELECT $1::timestamptz = " HOTLINE_PG_TIME("$2"),
                                   "2026-12-04 11:38:48.123457+00", MicrosParam(t));
  EXPECT_TRUE(same[0].as<bool>());
}

TEST_F(SqlValuesTest, TimesBeforeTheEpochKeepTheirMicroseconds) {
  const absl::Time t = absl::FromUnixMicros(-123456789);
  pqxx::nontransaction tx(connection_);
  pqxx::row row =
      tx.exec_params1("SELECT " HOTLINE_PG_MICROS(HOTLINE_PG_TIME("$1")), MicrosParam(t));
  EXPECT_EQ(TimeOf(row[0]), t);
}

TEST_F(SqlValuesTest, NoTimeIsNull) {
  pqxx::nontransaction tx(connection_);
  pqxx::row row = tx.exec_params1(
      "SELECT " HOTLINE_PG_TIME("$1") " IS NULL, " HOTLINE_PG_MICROS(HOTLINE_PG_TIME("$1")),
      MicrosParam(std::optional<absl::Time>()));
  EXPECT_TRUE(row[0].as<bool>());
  EXPECT_EQ(TimeOf(row[1]), std::nullopt);
}

TEST_F(SqlValuesTest, TextArrayKeepsQuotesBackslashesCommasAndBraces) {
  const std::vector<std::string> items = {
      "plain", "with \"quote\"", "back\\slash", "a,b", "{x}", "", "NULL"};
  pqxx::nontransaction tx(connection_);
  pqxx::result rows = tx.exec_params(
      "SELECT item, item IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS u(item, n) ORDER BY n",
      TextArray(items));
  ASSERT_EQ(rows.size(), items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_FALSE(rows[i][1].as<bool>()) << i;
    EXPECT_EQ(rows[i][0].as<std::string>(), items[i]) << i;
  }
  EXPECT_EQ(tx.exec_params1("SELECT cardinality($1::text[])", TextArray({}))[0].as<int>(), 0);
}

TEST_F(SqlValuesTest, ByteaArrayKeepsEveryByte) {
  const std::vector<std::string> items = {std::string("\0\x01\xff\"\\{},", 9), "", "plain"};
  pqxx::nontransaction tx(connection_);
  pqxx::result rows = tx.exec_params(
      "SELECT item FROM unnest($1::bytea[]) WITH ORDINALITY AS u(item, n) ORDER BY n",
      ByteaArray(items));
  ASSERT_EQ(rows.size(), items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(pqxx::binarystring(rows[i][0]).str(), items[i]) << i;
  }
  EXPECT_EQ(tx.exec_params1("SELECT cardinality($1::bytea[])", ByteaArray({}))[0].as<int>(), 0);
}

}  // namespace
}  // namespace hotline::pg
