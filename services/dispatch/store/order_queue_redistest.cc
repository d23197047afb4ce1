// The per-branch Redis queues against a real Redis: order of the queue, and
// reconciling with what PostgreSQL says is pending (lost pushes, stale ids, a
// flushed Redis).

#include <gtest/gtest.h>

#include "services/dispatch/store/order_queue.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::dispatch {
namespace {

QueuedOrder Q(std::string branch, std::string id, int urgency, int64_t seq) {
  QueuedOrder q;
  q.branch_id = std::move(branch);
  q.order_id = std::move(id);
  q.urgency = urgency;
  q.seq = seq;
  return q;
}

class OrderQueueTest : public ::testing::Test {
 protected:
  OrderQueueTest() {
    testing::RedisTarget target = testing::NewRedisDatabase();
    redis::RedisOptions options;
    options.address = target.address;
    options.db = target.db;
    redis_ = std::make_unique<redis::RedisClient>(options);
    queue_ = std::make_unique<OrderQueue>(*redis_);
  }
  void SetUp() override { ASSERT_TRUE(redis_->Command({"FLUSHDB"}).ok()); }
  void TearDown() override { redis_->Command({"FLUSHDB"}).IgnoreError(); }

  std::vector<std::string> Front(const std::string& branch) {
    return queue_->Front(branch, 100).value_or(std::vector<std::string>{"<error>"});
  }

  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<OrderQueue> queue_;
};

TEST_F(OrderQueueTest, MostUrgentFirstThenOldestFirst) {
  ASSERT_TRUE(queue_->Push(Q("B", "old", 0, 1)).ok());
  ASSERT_TRUE(queue_->Push(Q("B", "new", 0, 2)).ok());
  ASSERT_TRUE(queue_->Push(Q("B", "urged", 3, 3)).ok());
  EXPECT_EQ(Front("B"), (std::vector<std::string>{"urged", "old", "new"}));
  ASSERT_TRUE(queue_->Remove("B", "old").ok());
  EXPECT_EQ(Front("B"), (std::vector<std::string>{"urged", "new"}));
  EXPECT_TRUE(Front("OTHER").empty());
}

TEST_F(OrderQueueTest, ReconcileMendsLostPushesStaleIdsAndAFlush) {
  ASSERT_TRUE(queue_->Push(Q("B", "kept", 0, 1)).ok());
  ASSERT_TRUE(queue_->Push(Q("B", "stale", 0, 2)).ok());
  ASSERT_TRUE(queue_->Push(Q("B", "made-meanwhile", 0, 4)).ok());
  ASSERT_TRUE(queue_->Push(Q("C", "moved-away", 0, 5)).ok());
  std::map<std::string, std::vector<QueuedOrder>> pending = {
      {"B", {Q("B", "kept", 0, 1), Q("B", "lost-push", 0, 3)}}};
  // PostgreSQL says "made-meanwhile" became pending after `pending` was read.
  auto still_pending =
      [](const std::string&,
         const std::vector<std::string>& ids) -> absl::StatusOr<std::set<std::string>> {
    std::set<std::string> keep;
    for (const std::string& id : ids) {
      if (id == "made-meanwhile") {
        keep.insert(id);
      }
    }
    return keep;
  };
  auto mended = queue_->Reconcile(pending, still_pending);
  ASSERT_TRUE(mended.ok()) << mended.status();
  EXPECT_EQ(mended->added, 1);
  EXPECT_EQ(mended->removed, 2);
  EXPECT_EQ(Front("B"), (std::vector<std::string>{"kept", "lost-push", "made-meanwhile"}));
  EXPECT_TRUE(Front("C").empty());

  ASSERT_TRUE(redis_->Command({"FLUSHDB"}).ok());
  mended = queue_->Reconcile(pending, still_pending);
  ASSERT_TRUE(mended.ok());
  EXPECT_EQ(mended->added, 2);
  EXPECT_EQ(Front("B"), (std::vector<std::string>{"kept", "lost-push"}));
}

}  // namespace
}  // namespace hotline::dispatch
