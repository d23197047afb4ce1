#include "services/sla/desk/action_feed.h"

#include <vector>

namespace hotline::sla {

int ActionFeed::Add(std::function<void()> wake) {
  absl::MutexLock lock(&mu_);
  const int id = next_id_++;
  watchers_.emplace(id, std::move(wake));
  return id;
}

void ActionFeed::Remove(int id) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(id);
}

void ActionFeed::Wake() {
  std::vector<std::function<void()>> wakes;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, wake] : watchers_) {
      wakes.push_back(wake);
    }
  }
  for (const auto& wake : wakes) {
    wake();
  }
}

}  // namespace hotline::sla
