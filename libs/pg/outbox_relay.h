#pragma once

// Delivers the rows of <schema>.outbox (libs/pg/outbox.h), at least once.
//
// RunOnce takes up to batch_size undelivered rows that are due, in id order,
// with SELECT ... FOR UPDATE SKIP LOCKED, so any number of relays (threads,
// replicas) can work on the same table: each row is handed to one of them at
// a time. It calls the deliverer for each row, one after another, and in the
// same transaction marks the delivered rows (delivered_at) and, for the
// failed ones, counts the attempt, keeps the error (last_error) and puts the
// row off by an exponential backoff with jitter (next_attempt_at; see
// libs/pg/backoff.h). Retries go on forever (max_backoff apart at worst).
//
// At-least-once: an event is delivered again when its transaction does not
// commit after the deliverer said OK (relay killed, database lost). Without
// such failures each event is delivered once. Order is by id, but a failed
// event does not hold back later ones: receivers must not depend on order.
//
// Start runs RunOnce on a background thread every poll_interval (at once
// again after a full batch, or when Wake is called); failures (PostgreSQL
// down) are logged and only delay delivery. It also deletes rows delivered
// longer than keep_delivered ago, about once an hour.
//
// Thread safety: all methods may be called from any thread. The deliverer
// runs on the relay thread (or the thread calling RunOnce). Stop returns
// after the current delivery, leaving the rest of its batch for later.

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/pg/outbox.h"
#include "libs/pg/pool.h"

namespace hotline::pg {

struct RelayOptions {
  int batch_size = 100;
  absl::Duration poll_interval = absl::Milliseconds(200);
  absl::Duration min_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(60);
  // Delivered rows older than this are deleted by the background thread;
  // absl::InfiniteDuration() keeps them.
  absl::Duration keep_delivered = absl::Hours(24 * 7);
};

class OutboxRelay {
 public:
  // `pool` must outlive the relay. A bad schema name makes every RunOnce
  // return INVALID_ARGUMENT.
  OutboxRelay(Pool& pool, std::string schema, OutboxDeliverer deliverer,
              RelayOptions options = RelayOptions());
  // Stops the background thread if running.
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // One batch: the number of events delivered (0 when none were due), or
  // the database error (the batch is then retried later).
  absl::StatusOr<int> RunOnce();

  // Starts the background thread (no-op if running).
  void Start();
  // Asks the background thread to stop and joins it (no-op if not running).
  void Stop();
  // Makes the background thread poll now, e.g. right after a commit that
  // added to the outbox, instead of at the next poll_interval.
  void Wake();

  // Rows not yet delivered (a gauge for dashboards).
  absl::StatusOr<int64_t> PendingCount();
  // Deletes rows delivered before now - older_than; returns how many.
  absl::StatusOr<int64_t> PurgeDelivered(absl::Duration older_than);

 private:
  struct Batch {
    int picked = 0;
    int delivered = 0;
  };
  absl::StatusOr<Batch> RunBatch();
  void Loop();
  bool StopRequested();
  bool Woken() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || woken_; }

  Pool& pool_;
  const std::string schema_;
  const absl::Status schema_status_;
  const OutboxDeliverer deliverer_;
  const RelayOptions options_;

  std::mutex lifecycle_mu_;  // serialises Start and Stop
  std::thread thread_;       // guarded by lifecycle_mu_

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace hotline::pg
