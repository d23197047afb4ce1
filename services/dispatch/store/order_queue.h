#pragma once

// The per-branch queues of pending orders in Redis: live state for fast
// pulling, never the truth. Each branch has a sorted set of the order ids
// waiting for its acknowledgement, most urgent first, then oldest first; a
// set lists the branches that have a queue.
//
// PostgreSQL stays the truth: a push lost to a crash or a flushed Redis is
// mended by Reconcile (the queue keeper runs it every few seconds), and an id
// left behind by a rolled-back transaction is removed by it. Keys:
//   hotline:dispatch:queue:{<branch>}   sorted set of order ids
//   hotline:dispatch:queues             set of branch ids
//
// Thread-safe (RedisClient is). Errors: those of RedisClient (UNAVAILABLE
// while Redis is away).

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/redis/redis_client.h"

namespace hotline::dispatch {

struct QueuedOrder {
  std::string branch_id;
  std::string order_id;
  int urgency = 0;
  int64_t seq = 0;
};

class OrderQueue {
 public:
  explicit OrderQueue(redis::RedisClient& redis) : redis_(redis) {}

  // Adds the order (or updates its place after an urging).
  absl::Status Push(const QueuedOrder& order);
  absl::Status Remove(const std::string& branch_id, const std::string& order_id);
  // The first `count` order ids of the branch's queue.
  absl::StatusOr<std::vector<std::string>> Front(const std::string& branch_id, int count);

  // Makes the queues hold exactly the pending orders: pushes every order of
  // `pending` (grouped by branch), and removes ids that are not among them
  // unless `still_pending(branch, ids)` says they became pending meanwhile
  // (an order made after `pending` was read). Returns how many ids were
  // added and removed.
  using StillPendingFn = std::function<absl::StatusOr<std::set<std::string>>(
      const std::string& branch_id, const std::vector<std::string>& ids)>;
  struct Mended {
    int added = 0;
    int removed = 0;
  };
  absl::StatusOr<Mended> Reconcile(const std::map<std::string, std::vector<QueuedOrder>>& pending,
                                   const StillPendingFn& still_pending);

  // The queue's sort score: higher urgency first, then lower seq.
  static int64_t Score(int urgency, int64_t seq);
  static std::string QueueKey(const std::string& branch_id);

 private:
  redis::RedisClient& redis_;
};

}  // namespace hotline::dispatch
