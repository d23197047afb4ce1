#include "libs/rpc/wake_feed.h"

#include <vector>

namespace hotline::rpc {

int WakeFeed::Add(std::function<void()> wake) {
  absl::MutexLock lock(&mu_);
  const int id = next_id_++;
  watchers_.emplace(id, std::move(wake));
  return id;
}

void WakeFeed::Remove(int id) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(id);
}

void WakeFeed::Wake() {
  std::vector<std::function<void()>> wakes;
  {
    absl::MutexLock lock(&mu_);
    wakes.reserve(watchers_.size());
    for (const auto& [id, wake] : watchers_) {
      wakes.push_back(wake);
    }
  }
  for (const auto& wake : wakes) {
    wake();
  }
}

int WakeFeed::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(watchers_.size());
}

}  // namespace hotline::rpc
