#include "libs/rpc/handler_pool.h"

#include <algorithm>

namespace hotline::rpc {

HandlerPool::HandlerPool(HandlerPoolOptions options)
    : options_{std::max(options.threads, 1), std::max(options.queue, 0)} {
  threads_.reserve(options_.threads);
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] { Run(); });
  }
}

HandlerPool::~HandlerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) {
    thread.join();
  }
}

bool HandlerPool::TrySchedule(std::function<void()> work) {
  absl::MutexLock lock(&mu_);
  const int idle = options_.threads - busy_;
  if (stopping_ || static_cast<int>(queue_.size()) >= options_.queue + idle) {
    return false;
  }
  queue_.push_back(std::move(work));
  return true;
}

int HandlerPool::waiting() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

void HandlerPool::Run() {
  while (true) {
    std::function<void()> work;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &HandlerPool::HasWorkOrStop));
      if (queue_.empty()) {
        return;  // stopping, and nothing left to run
      }
      work = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    work();
    absl::MutexLock lock(&mu_);
    --busy_;
  }
}

}  // namespace hotline::rpc
