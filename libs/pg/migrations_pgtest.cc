#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <pqxx/pqxx>
#include <thread>

#include "libs/pg/library_migrations.h"
#include "libs/pg/migrations.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::pg {
namespace {

using ::hotline::testing::NewPostgresDatabase;
using ::testing::HasSubstr;

int64_t QueryInt(const std::string& uri, const std::string& sql) {
  pqxx::connection c(uri);
  pqxx::nontransaction tx(c);
  return tx.exec1(sql)[0].as<int64_t>();
}

std::vector<int64_t> ServiceVersions(const std::string& uri, const std::string& schema) {
  pqxx::connection c(uri);
  pqxx::nontransaction tx(c);
  std::vector<int64_t> out;
  for (const pqxx::row& row :
       tx.exec("SELECT version FROM " + schema +
               ".schema_migrations WHERE component = 'service' ORDER BY version")) {
    out.push_back(row[0].as<int64_t>());
  }
  return out;
}

// Each of these would fail or leave a visible trace if applied twice.
const std::vector<Migration> kTickets = {
    {1, "init", "CREATE TABLE tickets (id bigint PRIMARY KEY, phone text);"},
    {2, "log", "CREATE TABLE applied (what text); INSERT INTO applied VALUES ('log');"},
    {3, "more", "INSERT INTO applied VALUES ('more'); ALTER TABLE tickets ADD note text;"},
};

class MigrationsTest : public ::testing::Test {
 protected:
  std::string uri_ = NewPostgresDatabase("mig");
  Pool pool_{{uri_, 2, absl::Seconds(10)}};
};

TEST_F(MigrationsTest, AppliesInOrderInsideTheSchema) {
  absl::Status s = Migrate(pool_, "intake", kTickets);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(ServiceVersions(uri_, "intake"), (std::vector<int64_t>{1, 2, 3}));
  // Unqualified names landed in the schema, not in public.
  EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM intake.applied"), 2);
  EXPECT_EQ(QueryInt(uri_,
                     "SELECT count(*) FROM information_schema.tables "
                     "WHERE table_schema = 'public'"),
            0);
  EXPECT_EQ(QueryInt(uri_,
                     "SELECT count(*) FROM information_schema.columns "
                     "WHERE table_schema = 'intake' AND table_name = 'tickets'"),
            3);
  // Checksums are stored as hex SHA-256.
  EXPECT_EQ(QueryInt(uri_,
                     "SELECT count(*) FROM intake.schema_migrations "
                     "WHERE checksum ~ '^[0-9a-f]{64}$'"),
            static_cast<int64_t>(kTickets.size() + LibraryMigrations().size()));
}

TEST_F(MigrationsTest, CreatesTheLibrarysOutboxAndInboxInEverySchema) {
  ASSERT_TRUE(Migrate(pool_, "intake", kTickets).ok());
  ASSERT_TRUE(Migrate(pool_, "sla", {}).ok());
  for (const std::string schema : {"intake", "sla"}) {
    EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM " + schema + ".outbox"), 0);
    EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM " + schema + ".inbox"), 0);
    EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM " + schema +
                                 ".schema_migrations WHERE component = 'hotline.pg'"),
              static_cast<int64_t>(LibraryMigrations().size()));
  }
  EXPECT_EQ(QueryInt(uri_,
                     "SELECT count(*) FROM pg_indexes WHERE schemaname = 'intake' "
                     "AND indexname = 'outbox_pending_idx' "
                     "AND indexdef LIKE '%WHERE (delivered_at IS NULL)%'"),
            1);
}

TEST_F(MigrationsTest, RunningAgainAppliesNothing) {
  ASSERT_TRUE(Migrate(pool_, "intake", kTickets).ok());
  absl::Status again = Migrate(pool_, "intake", kTickets);
  ASSERT_TRUE(again.ok()) << again;
  EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM intake.applied"), 2);
  EXPECT_EQ(ServiceVersions(uri_, "intake"), (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(MigrationsTest, NewMigrationsAreAppliedOnTopOfOldOnes) {
  ASSERT_TRUE(Migrate(pool_, "intake", {kTickets[0], kTickets[1]}).ok());
  ASSERT_TRUE(Migrate(pool_, "intake", kTickets).ok());
  EXPECT_EQ(ServiceVersions(uri_, "intake"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM intake.applied"), 2);
}

TEST_F(MigrationsTest, AChangedMigrationIsRefusedNamingIt) {
  ASSERT_TRUE(Migrate(pool_, "intake", kTickets).ok());
  std::vector<Migration> edited = kTickets;
  edited[1].sql = "CREATE TABLE applied (what text, extra int);";
  absl::Status s = Migrate(pool_, "intake", edited);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("migration 2 \"log\""));
  EXPECT_THAT(s.message(), HasSubstr("intake"));
}

TEST_F(MigrationsTest, VersionsMustIncrease) {
  absl::Status s = Migrate(pool_, "intake", {kTickets[1], kTickets[0]});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Migrate(pool_, "Bad-Schema", kTickets).code(), absl::StatusCode::kInvalidArgument);
  // Nothing was created.
  EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM pg_namespace WHERE nspname = 'intake'"), 0);
}

TEST_F(MigrationsTest, AFailingMigrationLeavesNothingHalfApplied) {
  std::vector<Migration> broken = kTickets;
  broken.push_back({4, "broken",
                    "CREATE TABLE half (x int); INSERT INTO applied VALUES ('broken'); "
                    "SELECT 1 / 0;"});
  absl::Status s = Migrate(pool_, "intake", broken);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("migration 4 \"broken\""));
  EXPECT_THAT(s.message(), HasSubstr("division by zero"));
  // 1 to 3 are applied; nothing of 4 remains.
  EXPECT_EQ(ServiceVersions(uri_, "intake"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM intake.applied"), 2);
  EXPECT_EQ(QueryInt(uri_, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), 0);

  // Fixed, it applies.
  broken.back().sql = "CREATE TABLE half (x int); INSERT INTO applied VALUES ('fixed');";
  ASSERT_TRUE(Migrate(pool_, "intake", broken).ok());
  EXPECT_EQ(ServiceVersions(uri_, "intake"), (std::vector<int64_t>{1, 2, 3, 4}));
}

// Replicas starting together: each migrator has its own pool (its own
// sessions), all released at the same instant. Each migration must be
// applied exactly once and every migrator must succeed.
TEST(MigrationsRaceTest, MigratorsStartedTogetherApplyEachMigrationOnce) {
  constexpr int kRounds = 5;
  constexpr int kMigrators = 4;
  for (int round = 0; round < kRounds; ++round) {
    std::string uri = NewPostgresDatabase("migrace");
    std::vector<std::unique_ptr<Pool>> pools;
    for (int i = 0; i < kMigrators; ++i) {
      pools.push_back(std::make_unique<Pool>(PoolOptions{uri, 1, absl::Seconds(30)}));
      // Connect before the start line so that the race is on the migration.
      ASSERT_TRUE(pools.back()->Ping().ok());
    }
    std::latch start(kMigrators);
    std::vector<absl::Status> results(kMigrators);
    std::vector<std::thread> threads;
    for (int i = 0; i < kMigrators; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = Migrate(*pools[i], "dispatch", kTickets);
      });
    }
    for (std::thread& t : threads) {
      t.join();
    }
    for (const absl::Status& s : results) {
      EXPECT_TRUE(s.ok()) << "round " << round << ": " << s;
    }
    EXPECT_EQ(QueryInt(uri, "SELECT count(*) FROM dispatch.applied"), 2) << "round " << round;
    EXPECT_EQ(ServiceVersions(uri, "dispatch"), (std::vector<int64_t>{1, 2, 3}));
  }
}

}  // namespace
}  // namespace hotline::pg
