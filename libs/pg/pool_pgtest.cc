#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::pg {
namespace {

using ::hotline::testing::NewPostgresDatabase;
using ::hotline::testing::NewPostgresDatabaseOn;
using ::hotline::testing::OwnServers;
using ::hotline::testing::WaitUntil;

// Runs `users` transactions at once, each on its own thread; returns their
// statuses.
std::vector<absl::Status> RunConcurrently(Pool& pool, int users, const TransactionFn& fn) {
  std::vector<absl::Status> results(users);
  std::vector<std::thread> threads;
  for (int i = 0; i < users; ++i) {
    threads.emplace_back([&, i] { results[i] = WithTransaction(pool, fn); });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  return results;
}

TEST(PoolTest, MoreConcurrentUsersThanConnectionsAllComplete) {
  Pool pool({NewPostgresDatabase("pool"), 3, absl::Seconds(30)});
  std::atomic<int> most_sessions{0};
  auto results = RunConcurrently(pool, 12, [&](pqxx::work& tx) {
    int sessions = tx.exec1(
                         "SELECT count(*) FROM pg_stat_activity "
                         "WHERE datname = current_database()")[0]
                       .as<int>();
    int seen = most_sessions.load();
    while (sessions > seen && !most_sessions.compare_exchange_weak(seen, sessions)) {
    }
    tx.exec("SELECT pg_sleep(0.05)");
    return absl::OkStatus();
  });
  for (const absl::Status& s : results) {
    EXPECT_TRUE(s.ok()) << s;
  }
  EXPECT_LE(most_sessions.load(), 3) << "the server saw more sessions than the pool size";
  EXPECT_LE(pool.stats().open, 3);
}

TEST(PoolTest, AcquireGivesUpAfterTheTimeoutInsteadOfHanging) {
  Pool pool({NewPostgresDatabase("pool"), 1, absl::Milliseconds(300)});
  absl::StatusOr<Pool::Lease> held = pool.Acquire();
  ASSERT_TRUE(held.ok()) << held.status();

  absl::Time start = absl::Now();
  absl::StatusOr<Pool::Lease> second = pool.Acquire();
  absl::Duration waited = absl::Now() - start;
  EXPECT_EQ(second.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_GE(waited, absl::Milliseconds(250));
  EXPECT_LT(waited, absl::Seconds(3));

  // Once the connection is given back, the next caller gets it.
  { Pool::Lease returned = std::move(*held); }
  EXPECT_TRUE(pool.Acquire().ok());
}

TEST(PoolTest, AWaitingCallerGetsTheConnectionWhenItIsReturned) {
  Pool pool({NewPostgresDatabase("pool"), 1, absl::Seconds(30)});
  std::optional<Pool::Lease> held;
  held.emplace(*pool.Acquire());
  absl::Status waiter_status = absl::UnknownError("not run");
  std::thread waiter([&] { waiter_status = pool.Ping(); });
  held.reset();
  waiter.join();
  EXPECT_TRUE(waiter_status.ok()) << waiter_status;
}

TEST(PoolTest, AServerThatIsDownGivesUnavailableQuickly) {
  Pool pool({"postgresql://hotline@127.0.0.1:" + std::to_string(testing::FreePort()) + "/x", 2,
             absl::Seconds(2)});
  absl::Time start = absl::Now();
  absl::Status s = pool.Ping();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(pool.stats().open, 0) << "a failed connect must give its slot back";
}

TEST(PoolTest, RecoversAfterPostgresRestarts) {
  auto servers = OwnServers::Start();
  ASSERT_TRUE(servers.ok()) << servers.status();
  Pool pool({NewPostgresDatabaseOn((*servers)->pg_admin_uri(), "pool"), 4, absl::Seconds(5)});
  auto select_one = [](pqxx::work& tx) {
    tx.exec1("SELECT 1");
    return absl::OkStatus();
  };

  // Open all four connections, then restart the server under them.
  for (const absl::Status& s : RunConcurrently(pool, 4, [&](pqxx::work& tx) {
         tx.exec("SELECT pg_sleep(0.1)");
         return absl::OkStatus();
       })) {
    ASSERT_TRUE(s.ok()) << s;
  }
  ASSERT_EQ(pool.stats().idle, 4);
  ASSERT_TRUE((*servers)->StopPostgres().ok());
  ASSERT_TRUE((*servers)->StartPostgres().ok());

  // No caller sees the dead connections: they are replaced on the way.
  for (const absl::Status& s : RunConcurrently(pool, 8, select_one)) {
    EXPECT_TRUE(s.ok()) << s;
  }

  // While the server is down, callers get UNAVAILABLE, not a hang.
  ASSERT_TRUE((*servers)->StopPostgres().ok());
  absl::Time start = absl::Now();
  EXPECT_EQ(pool.Ping().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(WithTransaction(pool, select_one).code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));

  ASSERT_TRUE((*servers)->StartPostgres().ok());
  EXPECT_TRUE(WaitUntil([&] { return pool.Ping().ok(); }));
  for (const absl::Status& s : RunConcurrently(pool, 8, select_one)) {
    EXPECT_TRUE(s.ok()) << s;
  }
  EXPECT_LE(pool.stats().open, 4);
}

}  // namespace
}  // namespace hotline::pg
