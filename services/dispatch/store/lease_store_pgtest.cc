// Leasing orders to pullers against a real PostgreSQL: many pullers at once
// never hold one order together, and acknowledgements need the live lease.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "dispatch_migrations.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "services/dispatch/store/branch_store.h"
#include "services/dispatch/store/lease_store.h"
#include "services/dispatch/store/order_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::dispatch {
namespace {

constexpr char kBranch[] = "BR-L";

class LeaseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("dispatch_lease");
    options.size = 12;
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "dispatch", dispatch_migrations()).ok());
    Branch b;
    b.branch_id = kBranch;
    b.name = "Lease test crew";
    b.kind = "repair_crew";
    b.area_class = common::v1::AREA_CLASS_URBAN;
    b.arrival_limit_minutes = 45;
    b.ticket_types = {common::v1::TICKET_TYPE_REPAIR};
    ASSERT_TRUE(
        pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return SaveBranch(tx, b); }).ok());
  }

  void AddOrders(int count) {
    absl::Status s = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
      for (int i = 0; i < count; ++i) {
        NewOrder n;
        n.order_id = absl::StrCat("00000000-0000-4000-8000-", 100000000000 + next_);
        n.number_prefix = "PD-TEST-";
        n.ticket.set_ticket_id(absl::StrCat("ticket-", next_));
        n.ticket.set_type(common::v1::TICKET_TYPE_REPAIR);
        n.route.destination = Destination::kBranch;
        n.route.branch_id = kBranch;
        n.route.rule = "territory_match";
        n.route.reason = "test";
        n.status = v1::ORDER_STATUS_DISPATCHED;
        ++next_;
        absl::StatusOr<std::optional<OrderRecord>> inserted = InsertOrder(tx, n);
        if (!inserted.ok()) {
          return inserted.status();
        }
      }
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  absl::StatusOr<std::vector<Delivery>> Claim(const std::string& puller, int max,
                                              absl::Duration lease) {
    return pg::WithTransactionResult<std::vector<Delivery>>(*pool_, [&](pqxx::work& tx) {
      return ClaimOrders(tx, kBranch, puller, max, lease, std::nullopt);
    });
  }

  std::unique_ptr<pg::Pool> pool_;
  int next_ = 0;
};

TEST_F(LeaseStoreTest, ConcurrentPullersNeverHoldOneOrderAtOnce) {
  constexpr int kOrders = 40;
  constexpr int kPullers = 8;
  constexpr int kMax = 3;
  const absl::Duration kLease = absl::Milliseconds(150);
  AddOrders(kOrders);

  struct Claimed {
    std::string puller;
    std::string delivery_id;
    absl::Time expires;
  };
  absl::Mutex mu;
  std::map<std::string, std::vector<Claimed>> by_order;
  std::map<std::string, int> accepted;
  std::atomic<bool> too_many{false};
  std::vector<std::thread> threads;
  const absl::Time until = absl::Now() + absl::Seconds(2);
  for (int p = 0; p < kPullers; ++p) {
    threads.emplace_back([&, p] {
      std::string puller = absl::StrCat("puller-", p);
      int n = 0;
      while (absl::Now() < until) {
        absl::StatusOr<std::vector<Delivery>> got = Claim(puller, kMax, kLease);
        if (!got.ok()) {
          continue;  // a serialization retry ran out: try again
        }
        if (got->size() > static_cast<size_t>(kMax)) {
          too_many = true;
        }
        for (const Delivery& d : *got) {
          {
            absl::MutexLock lock(&mu);
            by_order[d.record.order.order_id()].push_back(
                {puller, d.delivery_id, d.lease_expires_at});
          }
          // Acknowledge about one delivery in five; leave the rest to expire.
          if (++n % 5 == 0) {
            absl::StatusOr<bool> ok = pg::WithTransactionResult<bool>(*pool_, [&](pqxx::work& tx) {
              return AcceptOrder(tx, d.record.order.order_id(), kBranch, d.delivery_id);
            });
            if (ok.ok() && *ok) {
              absl::MutexLock lock(&mu);
              ++accepted[d.record.order.order_id()];
            }
          }
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_FALSE(too_many);
  int redeliveries = 0;
  for (auto& [order_id, claims] : by_order) {
    std::sort(claims.begin(), claims.end(),
              [](const Claimed& a, const Claimed& b) { return a.expires < b.expires; });
    for (size_t i = 1; i < claims.size(); ++i) {
      ++redeliveries;
      // Each lease starts (expires - lease) no earlier than the one before ran out.
      EXPECT_GE(claims[i].expires - kLease, claims[i - 1].expires)
          << order_id << ": " << claims[i - 1].puller << " and " << claims[i].puller
          << " held it at once";
      EXPECT_NE(claims[i].delivery_id, claims[i - 1].delivery_id);
    }
  }
  for (const auto& [order_id, count] : accepted) {
    EXPECT_EQ(count, 1) << order_id;
  }
  EXPECT_GT(redeliveries, 0) << "no lease ran out: the test proved little";
  EXPECT_FALSE(accepted.empty());
}

TEST_F(LeaseStoreTest, HeldLeasesAreThePullersOwnUnexpiredOnesAfterItsCursor) {
  AddOrders(3);
  absl::StatusOr<std::vector<Delivery>> got = Claim("p", 2, absl::Seconds(30));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  // At most 2 outstanding: nothing more for p until it acknowledges.
  EXPECT_TRUE(Claim("p", 2, absl::Seconds(30))->empty());
  auto held = [&](const std::string& branch, const std::string& puller, int64_t after) {
    return pg::WithTransactionResult<std::vector<Delivery>>(
        *pool_, [&](pqxx::work& tx) { return HeldLeases(tx, branch, puller, after); });
  };
  EXPECT_EQ(held(kBranch, "p", 0)->size(), 2u);
  EXPECT_EQ(held(kBranch, "p", got->front().position)->size(), 1u);
  EXPECT_TRUE(held(kBranch, "q", 0)->empty());
  EXPECT_TRUE(held("OTHER", "p", 0)->empty());

  // Only the live lease's delivery may acknowledge.
  const Delivery& d = got->front();
  auto accept = [&](const std::string& delivery_id) {
    return *pg::WithTransactionResult<bool>(*pool_, [&](pqxx::work& tx) {
      return AcceptOrder(tx, d.record.order.order_id(), kBranch, delivery_id);
    });
  };
  EXPECT_FALSE(accept("not-a-delivery"));
  EXPECT_TRUE(accept(d.delivery_id));
  EXPECT_EQ(held(kBranch, "p", 0)->size(), 1u);
  // With one acknowledged, p may take the third.
  EXPECT_EQ(Claim("p", 2, absl::Seconds(30))->size(), 1u);
}

}  // namespace
}  // namespace hotline::dispatch
