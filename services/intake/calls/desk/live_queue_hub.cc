#include "services/intake/calls/desk/live_queue_hub.h"

#include <algorithm>

namespace hotline::intake {

void LiveQueueHub::Add(std::shared_ptr<LiveQueueListener> listener) {
  absl::MutexLock lock(&mu_);
  listeners_.push_back(std::move(listener));
}

void LiveQueueHub::Remove(const LiveQueueListener* listener) {
  absl::MutexLock lock(&mu_);
  listeners_.erase(std::remove_if(listeners_.begin(), listeners_.end(),
                                  [&](const std::shared_ptr<LiveQueueListener>& l) {
                                    return l.get() == listener;
                                  }),
                   listeners_.end());
}

void LiveQueueHub::Publish(const std::vector<LiveQueue>& all, absl::Time now) {
  std::vector<std::shared_ptr<LiveQueueListener>> listeners;
  {
    absl::MutexLock lock(&mu_);
    listeners = listeners_;
  }
  for (const auto& listener : listeners) {
    listener->Offer(all, now);
  }
}

size_t LiveQueueHub::listeners() const {
  absl::MutexLock lock(&mu_);
  return listeners_.size();
}

void LiveQueueHub::OnChange(std::function<void()> wake) {
  absl::MutexLock lock(&mu_);
  on_change_ = std::move(wake);
}

void LiveQueueHub::NotifyChanged() {
  std::function<void()> wake;
  {
    absl::MutexLock lock(&mu_);
    wake = on_change_;
  }
  if (wake) {
    wake();
  }
}

}  // namespace hotline::intake
