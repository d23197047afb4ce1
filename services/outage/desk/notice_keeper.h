#pragma once

// The outage service's background round, on a PeriodicWorker: at start
// (again at every round until it succeeds, once the schema is there) it
// merges the reference files in and loads the address index; then each round
// catches the index up with the change log, wakes this replica's
// WatchNotices streams when something changed, refreshes the gauges, and
// hourly drops repair calls older than a day (the grouping window is
// minutes). A NOTIFY of any replica's change wakes it (Wake).
//
// Thread-safe.

#include <functional>

#include "absl/status/status.h"
#include "libs/clock/clock.h"
#include "libs/pg/pool.h"
#include "libs/rpc/wake_feed.h"
#include "libs/worker/periodic_worker.h"
#include "services/outage/desk/notice_mirror.h"
#include "services/outage/desk/outage_metrics.h"

namespace hotline::outage {

class NoticeKeeper final : public worker::BackgroundWorker {
 public:
  NoticeKeeper(pg::Pool& pool, NoticeMirror& mirror, OutageMetrics& metrics, rpc::WakeFeed& feed,
               const clock::Clock& clock, absl::Duration interval,
               std::function<absl::Status()> seed);

  void Start() override { worker_.Start(); }
  void Stop() override { worker_.Stop(); }
  void Wake() { worker_.Wake(); }

 private:
  absl::StatusOr<absl::Duration> Round();

  pg::Pool& pool_;
  NoticeMirror& mirror_;
  OutageMetrics& metrics_;
  rpc::WakeFeed& feed_;
  const clock::Clock& clock_;
  const absl::Duration interval_;
  std::function<absl::Status()> seed_;
  bool loaded_ = false;  // only the worker's thread touches these
  absl::Time last_purge_ = absl::InfinitePast();
  worker::PeriodicWorker worker_;
};

}  // namespace hotline::outage
