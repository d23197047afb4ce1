#pragma once

// What a scenario sent and waits to see come back on a stream (an order on
// its branch's stream, a clock's breach on sla's watch), by key, with the
// time it was due: the start of the latency that arrival measures.
// Thread-safe: streams deliver on gRPC's threads.

#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hotline::bench {

class Awaited {
 public:
  void Add(const std::string& key, absl::Time due) {
    absl::MutexLock lock(&mu_);
    due_[key] = due;
  }
  void Forget(const std::string& key) {
    absl::MutexLock lock(&mu_);
    due_.erase(key);
  }
  // When `key` was due; nothing for a key not awaited (a delivery made
  // again, or another run's).
  std::optional<absl::Time> Take(const std::string& key) {
    absl::MutexLock lock(&mu_);
    auto it = due_.find(key);
    if (it == due_.end()) {
      return std::nullopt;
    }
    const absl::Time due = it->second;
    due_.erase(it);
    return due;
  }
  size_t size() {
    absl::MutexLock lock(&mu_);
    return due_.size();
  }
  // Waits up to `timeout` for every key to have arrived; whether they all did.
  bool WaitEmpty(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto empty = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return due_.empty(); };
    return mu_.AwaitWithTimeout(absl::Condition(&empty), timeout);
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Time> due_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::bench
