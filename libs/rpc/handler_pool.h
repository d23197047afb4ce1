#pragma once

// Where handlers do their blocking work (PostgreSQL transactions, Redis,
// calls to other services), so gRPC's callback threads never block: a fixed
// set of threads and a bounded queue. When the queue is full, new work is
// refused at once, and the call answers RESOURCE_EXHAUSTED instead of
// waiting behind a surge (health checks, which never come here, keep
// answering).
//
// Work whose request deadline passed while it waited is not run
// (rpc::Answer finishes it with DEADLINE_EXCEEDED).
//
// Thread safety: TrySchedule may be called from any thread. The destructor
// runs the work already queued, then joins the threads.

#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace hotline::rpc {

struct HandlerPoolOptions {
  int threads = 16;  // at least 1; about the PostgreSQL pool size or a little more
  int queue = 256;   // work that may wait for a busy thread; beyond it calls are refused
};

class HandlerPool {
 public:
  explicit HandlerPool(HandlerPoolOptions options = HandlerPoolOptions());
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // Queues `work`; false (and `work` dropped unrun) when the queue is full.
  bool TrySchedule(std::function<void()> work);

  const HandlerPoolOptions& options() const { return options_; }
  // Work queued and not yet started (for tests and metrics).
  int waiting() const;

 private:
  void Run();
  bool HasWorkOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  }

  const HandlerPoolOptions options_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  int busy_ ABSL_GUARDED_BY(mu_) = 0;  // threads running work
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace hotline::rpc
