#pragma once

// Keeps the live queue in Redis honest and visible (the desk writes Redis
// after each commit; this is the reconciling half of docs/architecture.md's
// "PostgreSQL and Redis"). Every check interval (1 s by default), and at once
// after a local change:
//  1. if Redis lost the ready marker (FLUSHALL, a restart) or a write to it
//     failed (LiveQueueHub::dirty), rebuilds the live queue from PostgreSQL
//     (CallStore::WithLiveTruth), so it is right again within about one
//     interval of Redis coming back;
//  2. every sweep interval (30 s by default), compares Redis with PostgreSQL
//     and rebuilds it when they differ: after-commit writes of one call from
//     two transactions (or replicas) that reached Redis out of order;
//  3. reads the live queue, sets the gauges, and offers it to the watchers.
// Errors (Redis or PostgreSQL away) are logged when they start and when they
// end, and retried at the next check. Runs on a worker::PeriodicWorker that
// LiveQueueHub::NotifyChanged wakes; bursts are published at most every 50 ms.

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/runtime/service_host.h"
#include "libs/worker/periodic_worker.h"
#include "services/intake/calls/desk/call_metrics.h"
#include "services/intake/calls/desk/live_queue_hub.h"
#include "services/intake/calls/store/call_store.h"
#include "services/intake/calls/store/live_queue_redis.h"

namespace hotline::intake {

class LiveQueueKeeper : public runtime::BackgroundWorker {
 public:
  LiveQueueKeeper(CallStore& store, LiveQueueRedis& live, CallMetrics& metrics, LiveQueueHub& hub,
                  absl::Duration check_interval, absl::Duration sweep_interval,
                  const clock::Clock& clock);
  ~LiveQueueKeeper() override;

  void Start() override;
  void Stop() override;

  // One check as described above; exposed for tests.
  absl::Status CheckOnce();

 private:
  absl::Status Rebuild(const char* reason);
  absl::Status Sweep();

  CallStore& store_;
  LiveQueueRedis& live_;
  CallMetrics& metrics_;
  LiveQueueHub& hub_;
  const clock::Clock& clock_;
  const absl::Duration sweep_interval_;
  absl::Time next_sweep_ = absl::InfinitePast();  // only the worker's thread uses it
  worker::PeriodicWorker worker_;
};

}  // namespace hotline::intake
