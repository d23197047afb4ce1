// The pull hub against a real PostgreSQL and Redis.

#include <gtest/gtest.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "dispatch_migrations.h"
#include "libs/pg/migrations.h"
#include "libs/pg/transaction.h"
#include "libs/redis/redis_client.h"
#include "services/dispatch/desk/pull_hub.h"
#include "services/dispatch/store/branch_store.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::dispatch {
namespace {

constexpr char kBranch[] = "BR-HUB";

// A stream that records what it is sent.
class RecordingSession final : public PullSession {
 public:
  RecordingSession() : PullSession(kBranch, PullCursor::Fresh(), false, 5, std::nullopt) {}

  bool Closed() override {
    absl::MutexLock lock(&mu_);
    return !ended_with_.empty();
  }
  bool Busy() override { return false; }
  void Deliver(std::vector<Delivery> deliveries, const std::string& cursor) override {
    absl::MutexLock lock(&mu_);
    for (const Delivery& d : deliveries) {
      order_ids_.push_back(d.record.order.order_id());
    }
    cursor_ = cursor;
  }
  void Expire(const std::string&) override {}
  void End(const std::string& cursor) override {
    absl::MutexLock lock(&mu_);
    ended_with_ = cursor;
  }

  std::vector<std::string> order_ids() {
    absl::MutexLock lock(&mu_);
    return order_ids_;
  }
  // The cursor of the last delivery, and the one End gave ("" before End).
  std::string cursor() {
    absl::MutexLock lock(&mu_);
    return cursor_;
  }
  std::string ended_with() {
    absl::MutexLock lock(&mu_);
    return ended_with_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> order_ids_ ABSL_GUARDED_BY(mu_);
  std::string cursor_ ABSL_GUARDED_BY(mu_);
  std::string ended_with_ ABSL_GUARDED_BY(mu_);
};

class PullHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg::PoolOptions options;
    options.uri = testing::NewPostgresDatabase("dispatch_hub");
    pool_ = std::make_unique<pg::Pool>(options);
    ASSERT_TRUE(pg::Migrate(*pool_, "dispatch", dispatch_migrations()).ok());
    testing::RedisTarget target = testing::NewRedisDatabase();
    redis::RedisOptions redis_options;
    redis_options.address = target.address;
    redis_options.db = target.db;
    redis_ = std::make_unique<redis::RedisClient>(redis_options);
    ASSERT_TRUE(redis_->Command({"FLUSHDB"}).ok());
    queue_ = std::make_unique<OrderQueue>(*redis_);
    Branch b;
    b.branch_id = kBranch;
    b.name = "Hub test crew";
    b.kind = "repair_crew";
    b.area_class = common::v1::AREA_CLASS_URBAN;
    b.arrival_limit_minutes = 45;
    b.ticket_types = {common::v1::TICKET_TYPE_REPAIR};
    ASSERT_TRUE(
        pg::WithTransaction(*pool_, [&](pqxx::work& tx) { return SaveBranch(tx, b); }).ok());
  }

  void TearDown() override { redis_->Command({"FLUSHDB"}).IgnoreError(); }

  // Dispatches `count` orders to the branch, in the database and its queue.
  std::vector<std::string> AddOrders(int count) {
    std::vector<std::string> ids;
    std::vector<QueuedOrder> queued;
    absl::Status s = pg::WithTransaction(*pool_, [&](pqxx::work& tx) -> absl::Status {
      ids.clear();
      queued.clear();
      for (int i = 0; i < count; ++i) {
        NewOrder n;
        n.order_id = absl::StrCat("00000000-0000-4000-8000-", 100000000000 + next_ + i);
        n.number_prefix = "PD-HUB-";
        n.ticket.set_ticket_id(absl::StrCat("ticket-", next_ + i));
        n.ticket.set_type(common::v1::TICKET_TYPE_REPAIR);
        n.route.destination = Destination::kBranch;
        n.route.branch_id = kBranch;
        n.route.rule = "territory_match";
        n.route.reason = "test";
        n.status = v1::ORDER_STATUS_DISPATCHED;
        absl::StatusOr<std::optional<OrderRecord>> inserted = InsertOrder(tx, n);
        if (!inserted.ok()) {
          return inserted.status();
        }
        if (!inserted->has_value()) {
          return absl::InternalError("the ticket already had an order");
        }
        ids.push_back(n.order_id);
        queued.push_back({kBranch, n.order_id, 0, (*inserted)->seq});
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    next_ += count;
    for (const QueuedOrder& q : queued) {
      EXPECT_TRUE(queue_->Push(q).ok());
    }
    return ids;
  }

  std::unique_ptr<pg::Pool> pool_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<OrderQueue> queue_;
  clock::ShiftedClock clock_;
  int next_ = 0;
};

// More orders than the hub reads of a queue's front are leased to another
// puller (a branch system that took them and has not acknowledged yet): an
// order dispatched after them still reaches a new puller at once.
TEST_F(PullHubTest, NewOrderBehindAFullyLeasedQueueFrontIsDelivered) {
  PullOptions options;
  options.queue_front = 500;
  options.poll_interval = absl::Milliseconds(50);
  options.lease = absl::Minutes(10);
  std::vector<std::string> head = AddOrders(options.queue_front + 20);
  absl::StatusOr<std::vector<Delivery>> leased =
      pg::WithTransactionResult<std::vector<Delivery>>(*pool_, [&](pqxx::work& tx) {
        return ClaimOrders(tx, kBranch, "busy-puller", 10'000, absl::Minutes(10), std::nullopt);
      });
  ASSERT_TRUE(leased.ok()) << leased.status();
  ASSERT_EQ(leased->size(), head.size());
  std::string fresh = AddOrders(1).front();

  PullHub hub(*pool_, *queue_, options, clock_);
  hub.Start();
  auto session = std::make_shared<RecordingSession>();
  hub.Add(session);
  hub.Wake(kBranch);
  bool delivered = testing::WaitUntil(
      [&] {
        std::vector<std::string> got = session->order_ids();
        return std::find(got.begin(), got.end(), fresh) != got.end();
      },
      std::chrono::seconds(5));
  hub.Stop();
  EXPECT_TRUE(delivered) << "the order behind " << head.size()
                         << " leased orders never reached the puller";
  for (const std::string& id : session->order_ids()) {
    EXPECT_EQ(id, fresh) << "an order leased to another puller was delivered again";
  }
}

// A stopping service ends its pullers' sessions, each with the cursor of
// what it was sent (to resume from), ends those that come while it drains,
// and leases nothing more.
TEST_F(PullHubTest, DrainEndsEverySessionWithItsCursorAndLeasesNothingMore) {
  PullOptions options;
  options.poll_interval = absl::Milliseconds(50);
  std::vector<std::string> first = AddOrders(2);
  PullHub hub(*pool_, *queue_, options, clock_);
  hub.Start();
  auto session = std::make_shared<RecordingSession>();
  hub.Add(session);
  ASSERT_TRUE(testing::WaitUntil([&] { return session->order_ids().size() == 2; }));

  hub.Drain();
  ASSERT_TRUE(testing::WaitUntil([&] { return !session->ended_with().empty(); }));
  EXPECT_EQ(session->ended_with(), session->cursor());
  auto late = std::make_shared<RecordingSession>();
  hub.Add(late);
  AddOrders(1);
  hub.Wake(kBranch);
  EXPECT_TRUE(testing::WaitUntil([&] { return !late->ended_with().empty(); }));
  hub.Stop();
  EXPECT_TRUE(late->order_ids().empty()) << "a draining hub leased an order";
  EXPECT_EQ(session->order_ids(), first);
}

}  // namespace
}  // namespace hotline::dispatch
