#include "tools/bench/pacer.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace hotline::bench {

absl::Duration Pacer::Run(const std::function<void(absl::Time due)>& launch) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + pace_.duration;
  const int cap = std::max(1, pace_.in_flight);
  auto has_room = [this, cap]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ < cap; };
  while (true) {
    absl::Time due = absl::Now();
    if (pace_.rate > 0) {
      due = start + absl::Seconds(static_cast<double>(started_) / pace_.rate);
      if (due >= end) {
        break;
      }
      const absl::Time now = absl::Now();
      if (due > now) {
        absl::SleepFor(due - now);
      }
    }
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&has_room));
      if (absl::Now() >= end) {
        break;
      }
      ++running_;
    }
    ++started_;
    launch(due);
  }
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ == 0; };
  mu_.AwaitWithTimeout(absl::Condition(&idle), pace_.drain);
  return (running_ == 0 ? std::max(last_end_, start) : absl::Now()) - start;
}

void Pacer::Done() {
  absl::MutexLock lock(&mu_);
  --running_;
  last_end_ = absl::Now();
}

}  // namespace hotline::bench
