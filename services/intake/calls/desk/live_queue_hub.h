#pragma once

// Where the live queue's writers, its keeper and its watchers meet:
//  - writers NotifyChanged() after a commit that changed the live queue, so
//    the keeper publishes at once instead of at its next check;
//  - writers MarkDirty() when a Redis write failed: Redis no longer matches
//    PostgreSQL, so the keeper rebuilds it (writers skip Redis meanwhile);
//  - watchers (WatchLiveQueue streams) register a listener and are offered
//    every snapshot the keeper reads.
//
// Thread-safe.

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/intake/calls/domain/live_queue.h"

namespace hotline::intake {

class LiveQueueListener {
 public:
  virtual ~LiveQueueListener() = default;
  // Every queue as read from Redis (empty ones included) at `now`. Called
  // from the keeper's thread, without the hub's lock held.
  virtual void Offer(const std::vector<LiveQueue>& all, absl::Time now) = 0;
};

class LiveQueueHub {
 public:
  void Add(std::shared_ptr<LiveQueueListener> listener);
  void Remove(const LiveQueueListener* listener);
  void Publish(const std::vector<LiveQueue>& all, absl::Time now);
  size_t listeners() const;

  // `wake` is called by NotifyChanged (the keeper's worker Wake).
  void OnChange(std::function<void()> wake);
  void NotifyChanged();

  void MarkDirty() { dirty_ = true; }
  bool dirty() const { return dirty_; }
  void ClearDirty() { dirty_ = false; }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::shared_ptr<LiveQueueListener>> listeners_ ABSL_GUARDED_BY(mu_);
  std::function<void()> on_change_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> dirty_{false};
};

}  // namespace hotline::intake
