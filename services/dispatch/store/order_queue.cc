#include "services/dispatch/store/order_queue.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace hotline::dispatch {
namespace {

constexpr char kQueuesKey[] = "hotline:dispatch:queues";
// Urgency weighs more than any realistic seq (up to 10^13 orders); scores stay
// below 2^53, so Redis' doubles hold them exactly.
constexpr int64_t kUrgencyWeight = 10'000'000'000'000;
constexpr int kMaxUrgency = 100;

std::vector<std::string> ZAdd(const QueuedOrder& order) {
  return {"ZADD", OrderQueue::QueueKey(order.branch_id),
          absl::StrCat(OrderQueue::Score(order.urgency, order.seq)), order.order_id};
}

}  // namespace

int64_t OrderQueue::Score(int urgency, int64_t seq) {
  int clamped = std::clamp(urgency, 0, kMaxUrgency);
  return seq - clamped * kUrgencyWeight;
}

std::string OrderQueue::QueueKey(const std::string& branch_id) {
  return absl::StrCat("hotline:dispatch:queue:{", branch_id, "}");
}

absl::Status OrderQueue::Push(const QueuedOrder& order) {
  return redis_.Pipeline({ZAdd(order), {"SADD", kQueuesKey, order.branch_id}}).status();
}

absl::Status OrderQueue::Remove(const std::string& branch_id, const std::string& order_id) {
  return redis_.Command({"ZREM", QueueKey(branch_id), order_id}).status();
}

absl::StatusOr<std::vector<std::string>> OrderQueue::Front(const std::string& branch_id,
                                                           int count) {
  absl::StatusOr<redis::RedisReply> reply =
      redis_.Command({"ZRANGE", QueueKey(branch_id), "0", absl::StrCat(count - 1)});
  if (!reply.ok()) {
    return reply.status();
  }
  std::vector<std::string> ids;
  for (const redis::RedisReply& element : reply->elements) {
    ids.push_back(element.str);
  }
  return ids;
}

absl::StatusOr<OrderQueue::Mended> OrderQueue::Reconcile(
    const std::map<std::string, std::vector<QueuedOrder>>& pending,
    const StillPendingFn& still_pending) {
  Mended mended;
  absl::StatusOr<redis::RedisReply> known = redis_.Command({"SMEMBERS", kQueuesKey});
  if (!known.ok()) {
    return known.status();
  }
  std::set<std::string> branches;
  for (const redis::RedisReply& element : known->elements) {
    branches.insert(element.str);
  }
  for (const auto& [branch, orders] : pending) {
    branches.insert(branch);
  }
  for (const std::string& branch : branches) {
    absl::StatusOr<redis::RedisReply> queued =
        redis_.Command({"ZRANGE", QueueKey(branch), "0", "-1"});
    if (!queued.ok()) {
      return queued.status();
    }
    std::set<std::string> in_redis;
    for (const redis::RedisReply& element : queued->elements) {
      in_redis.insert(element.str);
    }
    std::set<std::string> in_pg;
    std::vector<std::vector<std::string>> pushes;
    if (auto it = pending.find(branch); it != pending.end()) {
      for (const QueuedOrder& order : it->second) {
        in_pg.insert(order.order_id);
        if (in_redis.count(order.order_id) == 0) {
          ++mended.added;
        }
        pushes.push_back(ZAdd(order));  // also refreshes the score after an urging
      }
      pushes.push_back({"SADD", kQueuesKey, branch});
    }
    if (!pushes.empty()) {
      if (absl::Status s = redis_.Pipeline(pushes).status(); !s.ok()) {
        return s;
      }
    }
    std::vector<std::string> extra;
    for (const std::string& id : in_redis) {
      if (in_pg.count(id) == 0) {
        extra.push_back(id);
      }
    }
    if (extra.empty()) {
      continue;
    }
    absl::StatusOr<std::set<std::string>> keep = still_pending(branch, extra);
    if (!keep.ok()) {
      return keep.status();
    }
    std::vector<std::string> zrem = {"ZREM", QueueKey(branch)};
    for (const std::string& id : extra) {
      if (keep->count(id) == 0) {
        zrem.push_back(id);
        ++mended.removed;
      }
    }
    if (zrem.size() > 2) {
      if (absl::Status s = redis_.Command(zrem).status(); !s.ok()) {
        return s;
      }
    }
  }
  return mended;
}

}  // namespace hotline::dispatch
