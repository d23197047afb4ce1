#include <gtest/gtest.h>

#include <latch>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>

#include "libs/pg/inbox.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::pg {
namespace {

using ::hotline::testing::NewPostgresDatabase;

const absl::StatusOr<bool> kFirst = true;
const absl::StatusOr<bool> kRepeat = false;

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Migrate(pool_, "sla", {}).ok()); }

  // Claims `id` in a transaction that commits (or rolls back); returns the
  // claim's answer.
  absl::StatusOr<bool> Claim(const std::string& id, bool commit = true) {
    std::optional<bool> first;
    absl::Status s = WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
      absl::StatusOr<bool> claimed = ClaimEvent(tx, "sla", id, "order.resolved");
      if (!claimed.ok()) {
        return claimed.status();
      }
      first = *claimed;
      return commit ? absl::OkStatus() : absl::CancelledError("roll back");
    });
    if (!first.has_value()) {
      return s;
    }
    return *first;
  }

  std::string uri_ = NewPostgresDatabase("inbox");
  Pool pool_{{uri_, 4, absl::Seconds(10)}};
};

TEST_F(InboxTest, AnEventIsClaimedOnlyOnce) {
  EXPECT_EQ(Claim("e-1"), kFirst);
  EXPECT_EQ(Claim("e-1"), kRepeat);
  EXPECT_EQ(Claim("e-1"), kRepeat);
  EXPECT_EQ(Claim("e-2"), kFirst);
}

TEST_F(InboxTest, ABatchClaimsOnlyTheIdsNotSeenBeforeEachOnce) {
  EXPECT_EQ(Claim("e-1"), kFirst);
  std::set<std::string> claimed;
  ASSERT_TRUE(WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
                absl::StatusOr<std::set<std::string>> got =
                    ClaimEvents(tx, "sla",
                                {{"e-2", "order.resolved"},
                                 {"e-1", "order.resolved"},
                                 {"e-3", "order.resolved"},
                                 {"e-2", "order.resolved"}});
                if (!got.ok()) {
                  return got.status();
                }
                claimed = *got;
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(claimed, (std::set<std::string>{"e-2", "e-3"}));
  EXPECT_EQ(Claim("e-2"), kRepeat);
  EXPECT_EQ(Claim("e-3"), kRepeat);
}

TEST_F(InboxTest, PurgeForgetsOnlyIdsOlderThanItsHorizon) {
  EXPECT_EQ(Claim("old"), kFirst);
  EXPECT_EQ(Claim("new"), kFirst);
  ASSERT_TRUE(WithTransaction(pool_, [](pqxx::work& tx) {
                tx.exec0(
                    "UPDATE sla.inbox SET received_at = now() - interval '8 days' "
                    "WHERE event_id = 'old'");
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(PurgeInbox(pool_, "sla", absl::Hours(24 * 7)).value_or(-1), 1);
  EXPECT_EQ(Claim("new"), kRepeat) << "a recent id is still remembered";
  EXPECT_EQ(Claim("old"), kFirst) << "a purged id is forgotten";
  EXPECT_EQ(PurgeInbox(pool_, "sla; drop", absl::Hours(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(InboxTest, AClaimRolledBackWithItsTransactionCanBeClaimedAgain) {
  EXPECT_EQ(Claim("e-1", /*commit=*/false), kFirst);
  EXPECT_EQ(Claim("e-1"), kFirst);
  EXPECT_EQ(Claim("e-1"), kRepeat);
}

TEST_F(InboxTest, ConcurrentReceiversOfTheSameEventApplyItOnce) {
  constexpr int kReceivers = 6;
  std::latch start(kReceivers);
  std::vector<absl::StatusOr<bool>> results(kReceivers, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kReceivers; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = Claim("e-race");
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  int firsts = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    firsts += *r ? 1 : 0;
  }
  EXPECT_EQ(firsts, 1);
}

TEST_F(InboxTest, RefusesAnEmptyIdOrABadSchema) {
  absl::Status s = WithTransaction(pool_, [](pqxx::work& tx) {
    EXPECT_EQ(ClaimEvent(tx, "sla", "", "t").status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ClaimEvent(tx, "sla; drop", "e", "t").status().code(),
              absl::StatusCode::kInvalidArgument);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

}  // namespace
}  // namespace hotline::pg
