#include "libs/worker/periodic_worker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"
#include "libs/status/status.h"

namespace hotline::worker {

PeriodicWorker::PeriodicWorker(PeriodicOptions options, Round round)
    : options_(std::move(options)), round_(std::move(round)) {}

PeriodicWorker::~PeriodicWorker() { Stop(); }

void PeriodicWorker::Start() {
  absl::MutexLock lifecycle(&lifecycle_mu_);
  if (thread_.joinable()) {
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicWorker::Stop() {
  absl::MutexLock lifecycle(&lifecycle_mu_);
  if (!thread_.joinable()) {
    return;
  }
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void PeriodicWorker::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

bool PeriodicWorker::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

void PeriodicWorker::Loop() {
  const absl::Duration max_backoff = std::max(options_.max_backoff, options_.interval);
  int failures = 0;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) {
        return;
      }
      woken_ = false;
    }
    absl::StatusOr<absl::Duration> next = CatchExceptions("round", round_);
    absl::Duration wait;
    if (next.ok()) {
      if (failures > 0) {
        log::Info(options_.name, "works again after ", failures, " failed rounds");
      }
      failures = 0;
      wait = std::max(*next, absl::ZeroDuration());
    } else {
      if (failures == 0) {
        log::Warn(options_.name, "round failed (retrying up to every ",
                  absl::FormatDuration(max_backoff), "): ", next.status().ToString());
      }
      ++failures;
      wait = options_.interval;
      for (int i = 1; i < failures && wait < max_backoff; ++i) {
        wait *= 2;
      }
      wait = std::min(wait, max_backoff);
    }
    absl::MutexLock lock(&mu_);
    if (options_.min_gap > absl::ZeroDuration()) {
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.min_gap);
      wait -= options_.min_gap;
    }
    if (wait > absl::ZeroDuration()) {
      mu_.AwaitWithTimeout(absl::Condition(this, &PeriodicWorker::WakeOrStop), wait);
    }
  }
}

}  // namespace hotline::worker
