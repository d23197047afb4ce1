#pragma once

// Keeps the Redis order queues true to PostgreSQL: every sweep interval (and
// at once when started) it reads the pending orders, pushes the ones a queue
// lacks (a push lost to a crash, a flushed or restarted Redis) and removes
// ids that are no longer pending; and it sets hotline_orders_pending. Safe to
// run on every replica at once (each sweep is idempotent).

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "libs/pg/pool.h"
#include "libs/runtime/service_host.h"
#include "libs/worker/periodic_worker.h"
#include "services/dispatch/desk/dispatch_metrics.h"
#include "services/dispatch/store/order_queue.h"

namespace hotline::dispatch {

class QueueKeeper final : public runtime::BackgroundWorker {
 public:
  // `wake(branch)` is called for a branch whose queue got orders back.
  QueueKeeper(pg::Pool& pool, OrderQueue& queue, DispatchMetrics& metrics, absl::Duration interval,
              std::function<void(const std::string&)> wake);
  ~QueueKeeper() override;

  void Start() override;
  void Stop() override;

  // One sweep. Errors: the database's or Redis'.
  absl::Status SweepOnce();

 private:
  pg::Pool& pool_;
  OrderQueue& queue_;
  DispatchMetrics& metrics_;
  const std::function<void(const std::string&)> wake_;
  worker::PeriodicWorker worker_;
};

}  // namespace hotline::dispatch
