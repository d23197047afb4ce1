#pragma once

// The sla timer: fires the milestones of running clocks (warnings, breach,
// urging, supervision) when they fall due, on a PeriodicWorker.
//
// Each round claims, in short transactions, up to --timer-batch clocks whose
// `next_fire_at` has passed (an index range, never a scan of the clocks),
// with FOR UPDATE SKIP LOCKED so that replicas share the work; for each clock
// it records every due milestone once (sla.actions is unique per clock and
// milestone), publishes it to intake ("sla.action") in the same transaction,
// and moves `next_fire_at` on. So a milestone fires once whether one replica
// or two run, and after a restart everything that fell due while the service
// was down fires once, at the first round. The transaction also NOTIFYs
// kActionsChannel, and after the commit the metrics are counted and this
// replica's watchers woken.
//
// A second worker refreshes hotline_sla_open_clocks and the overdue gauge and
// purges early stops older than a week, every 15 s: its counts read every open
// clock (about 230 ms at a million), so it keeps off the timer's thread, where
// it would hold up the breaches falling due meanwhile.
//
// Thread-safe.

#include <atomic>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "libs/clock/clock.h"
#include "libs/pg/pool.h"
#include "libs/rpc/wake_feed.h"
#include "libs/worker/periodic_worker.h"
#include "services/sla/desk/clock_desk.h"
#include "services/sla/desk/sla_metrics.h"

namespace hotline::sla {

// The channel the timer NOTIFYs after it committed actions; every replica
// wakes its WatchEvents streams (an rpc::WakeFeed) when it hears it.
inline constexpr char kActionsChannel[] = "hotline_sla_actions";

class ClockTimer final : public worker::BackgroundWorker {
 public:
  // `prepare` runs before the first firing, again at every round until it
  // succeeds (seeding the policies and the calendar once the schema is there).
  ClockTimer(pg::Pool& pool, ClockDesk& desk, SlaMetrics& metrics, rpc::WakeFeed& feed,
             const clock::Clock& clock, absl::Duration interval, int batch,
             std::function<absl::Status()> prepare);

  void Start() override {
    worker_.Start();
    housekeeping_.Start();
  }
  void Stop() override {
    housekeeping_.Stop();
    worker_.Stop();
  }

  // One pass over every due clock, as a round does; returns the actions fired.
  // For tests, which move the clock and fire without waiting.
  absl::StatusOr<int> FireAllDue();

 private:
  absl::StatusOr<absl::Duration> Round();
  // One batch in one transaction: the actions fired, and whether the batch was full.
  absl::StatusOr<std::pair<int, bool>> FireBatch(absl::Time now);
  // The gauges and the purge, once the timer has prepared the schema.
  absl::StatusOr<absl::Duration> Housekeeping();

  pg::Pool& pool_;
  ClockDesk& desk_;
  SlaMetrics& metrics_;
  rpc::WakeFeed& feed_;
  const clock::Clock& clock_;
  const absl::Duration interval_;
  const int batch_;
  std::function<absl::Status()> prepare_;
  std::atomic<bool> prepared_{false};  // set by the timer's thread
  worker::PeriodicWorker worker_;
  worker::PeriodicWorker housekeeping_;
};

}  // namespace hotline::sla
