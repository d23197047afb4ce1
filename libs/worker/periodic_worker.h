#pragma once

// The one background loop of the project: a thread that runs a round, waits,
// and runs the next. Every periodic job (outbox relays, queue keepers, the
// pull hub, readiness) is a PeriodicWorker with its own round function.
//
//   worker::PeriodicWorker keeper({"dispatch.queues", absl::Seconds(30)},
//                                 [&]() -> absl::StatusOr<absl::Duration> {
//     HOTLINE_RETURN_IF_ERROR(SweepOnce());
//     return absl::Seconds(30);
//   });
//   keeper.Start();   // first round at once
//   keeper.Wake();    // e.g. after a commit: the next round starts now
//
// A round returns how long to wait before the next one (zero: at once), or an
// error. Errors are logged when they start (with the error) and when rounds
// work again, not at every round; after an error the wait grows from
// `interval` to `max_backoff`. Wake() cuts the current wait short, or makes
// the next round follow at once when called during a round; several Wake()
// calls before a round start cause one round. `min_gap` keeps rounds apart
// even when woken (to batch bursts of wake-ups).
//
// Waits are in real time (a test clock does not make a worker sleep less).
//
// Thread safety: Start, Stop and Wake may be called from any thread; the round
// runs on the worker's thread only. Stop waits for the current round to end
// and must not be called from the round itself.

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/worker/background_worker.h"

namespace hotline::worker {

struct PeriodicOptions {
  std::string name;  // in log lines, e.g. "dispatch.queues"
  absl::Duration interval = absl::Seconds(1);
  // The longest wait after repeated errors; below `interval` counts as `interval`.
  absl::Duration max_backoff = absl::ZeroDuration();
  absl::Duration min_gap = absl::ZeroDuration();
};

class PeriodicWorker final : public BackgroundWorker {
 public:
  using Round = std::function<absl::StatusOr<absl::Duration>()>;

  PeriodicWorker(PeriodicOptions options, Round round);
  // Stops the thread if it runs.
  ~PeriodicWorker() override;
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  // Starts the thread; the first round runs at once. No-op when running.
  void Start() override;
  // Ends the wait (not a round in progress) and joins. No-op when stopped.
  void Stop() override;
  void Wake();
  // True between Stop's request and the thread's end: for rounds that loop
  // over a batch and should leave the rest for later.
  bool stopping() const;

 private:
  void Loop();
  bool WakeOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || woken_; }

  const PeriodicOptions options_;
  const Round round_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // started and joined under lifecycle_mu_
  absl::Mutex lifecycle_mu_;
};

}  // namespace hotline::worker
