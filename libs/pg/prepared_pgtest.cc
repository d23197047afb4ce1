#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "libs/pg/prepared.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::pg {
namespace {

using ::hotline::testing::NewPostgresDatabase;

constexpr const char* kDouble = "SELECT $1::int * 2";

class PreparedTest : public ::testing::Test {
 protected:
  // How many statements with this text the session has prepared.
  int PreparedCopies(const std::string& sql) {
    pqxx::nontransaction tx(connection_);
    return tx
        .exec_params1("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", sql)[0]
        .as<int>();
  }

  std::string uri_ = NewPostgresDatabase("prepared");
  pqxx::connection connection_{uri_};
};

TEST_F(PreparedTest, AStatementIsPreparedOnceAndRunWithEachCallsParameters) {
  for (int i = 1; i <= 3; ++i) {
    pqxx::work tx(connection_);
    EXPECT_EQ(Exec1(tx, kDouble, i)[0].as<int>(), 2 * i);
    tx.commit();
  }
  EXPECT_EQ(PreparedCopies(kDouble), 1);
}

TEST_F(PreparedTest, AStatementPreparedInARolledBackTransactionStillRuns) {
  {
    pqxx::work tx(connection_);
    EXPECT_EQ(Exec1(tx, kDouble, 5)[0].as<int>(), 10);
    tx.abort();
  }
  pqxx::work tx(connection_);
  EXPECT_EQ(Exec1(tx, kDouble, 6)[0].as<int>(), 12);
}

TEST_F(PreparedTest, RowCountsAreCheckedAsWithExecParams) {
  pqxx::work tx(connection_);
  Exec0(tx, "CREATE TEMP TABLE t (v int)");
  EXPECT_EQ(Exec0(tx, "INSERT INTO t VALUES ($1)", 7).affected_rows(), 1);
  EXPECT_THROW(Exec0(tx, "SELECT v FROM t WHERE v = $1", 7), pqxx::unexpected_rows);
  EXPECT_THROW(Exec1(tx, "SELECT v FROM t WHERE v = $1", 8), pqxx::unexpected_rows);
  EXPECT_EQ(Exec(tx, "SELECT v FROM t WHERE v = $1", 7).size(), 1u);
}

TEST_F(PreparedTest, DifferentTextsAreDifferentStatements) {
  pqxx::work tx(connection_);
  EXPECT_EQ(Exec1(tx, "SELECT $1::int + 1", 1)[0].as<int>(), 2);
  EXPECT_EQ(Exec1(tx, "SELECT $1::int + 2", 1)[0].as<int>(), 3);
  EXPECT_NE(PreparedName(tx, "SELECT $1::int + 1"), PreparedName(tx, "SELECT $1::int + 2"));
}

TEST_F(PreparedTest, ABadStatementFailsLikeAnyOther) {
  pqxx::work tx(connection_);
  EXPECT_THROW(Exec(tx, "SELECT no_such_column FROM pg_class WHERE oid = $1", 1), pqxx::sql_error);
}

}  // namespace
}  // namespace hotline::pg
