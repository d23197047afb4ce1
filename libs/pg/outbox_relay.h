#pragma once

// Delivers the rows of <schema>.outbox (libs/pg/outbox.h), at least once.
//
// One round for one destination:
//   1. claim: in one round trip, committed by itself (no transaction block:
//      libs/pg/without_transaction.h), lease up to batch_size due rows of
//      the destination, in id order (SELECT ... FOR UPDATE SKIP LOCKED, then
//      leased_until = now() + lease), so any number of relays (threads,
//      replicas) share the table and, without crashes, never send one row
//      twice; the walk is a plain index scan, which skips delivered rows
//      awaiting vacuum (outbox_relay.cc says why);
//   2. send: hand the batch to the deliverer (e.g. one DeliverEvents RPC),
//      with no transaction or pool connection held;
//   3. mark: in one statement committed by itself, set delivered_at on the
//      rows the destination accepted and give each row it refused a backoff
//      of its own (exponential with jitter from min_backoff to max_backoff,
//      see libs/pg/backoff.h), so one bad event cannot hold up the rest.
// When the destination cannot be reached at all, the batch's leases are
// released at once (the rows stay due, their attempt and error recorded) and
// this relay waits for the destination, from 100 ms doubling up to
// max_destination_backoff, ignoring wake-ups meanwhile. So once the
// destination answers again its backlog goes within that time, not after
// minutes of per-row backoff.
//
// At-least-once: a row is sent again when the relay dies between send and
// mark (after its lease ends) or when its mark fails. Order is by
// id within a batch, but a refused row does not hold back later ones and two
// relays send in parallel: receivers compare Event.sequence, not arrival.
//
// Start runs one PeriodicWorker per destination (one for all destinations
// when options.destinations is empty): a round right after a full batch, on
// Wake, and otherwise every poll_interval (the safety net; publishers wake
// relays through PostgreSQL NOTIFY, see libs/pg/notifications.h).
//
// Thread safety: all methods may be called from any thread. The deliverer
// runs on a relay thread (or the thread calling RunOnce), for one destination
// at a time per thread.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/pg/outbox.h"
#include "libs/pg/pool.h"
#include "libs/worker/periodic_worker.h"

namespace hotline::pg {

struct RelayOptions {
  // One worker each; empty: one worker for the rows of every destination.
  std::vector<std::string> destinations;
  int batch_size = 100;
  absl::Duration poll_interval = absl::Seconds(1);
  // How long a claimed batch is reserved for the relay that claimed it; must
  // exceed the deliverer's own timeout.
  absl::Duration lease = absl::Seconds(30);
  // Backoff of one row the destination refused.
  absl::Duration min_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(60);
  // The longest wait for a destination that cannot be reached.
  absl::Duration max_destination_backoff = absl::Seconds(2);
};

// What the destination said of each row of a batch, by OutboxEvent::id: OK
// when it has the event; an error (kept as the row's last_error) when it
// refused it. A row missing from the map counts as refused.
using DeliveryResults = std::map<int64_t, absl::Status>;

// Sends a batch of rows, all for `destination`, in id order. An error means
// the destination was not reached and took none. May be called again with
// the same rows; may throw (treated as an error).
using BatchDeliverer = std::function<absl::StatusOr<DeliveryResults>(
    const std::string& destination, const std::vector<OutboxEvent>& batch)>;

// What a relay reports, for metrics. Called from relay threads.
class RelayObserver {
 public:
  virtual ~RelayObserver() = default;
  virtual void Delivered(const std::string& destination, int count) = 0;
  // Rows refused by the destination, or sent when it could not be reached.
  virtual void Failed(const std::string& destination, int count) = 0;
};

class OutboxRelay {
 public:
  // `pool` (and `observer`, if given) must outlive the relay. A bad schema
  // name makes every RunOnce return INVALID_ARGUMENT.
  OutboxRelay(Pool& pool, std::string schema, BatchDeliverer deliverer,
              RelayOptions options = RelayOptions(), RelayObserver* observer = nullptr);
  // A relay that sends row by row: an error from `deliverer` refuses that row.
  OutboxRelay(Pool& pool, std::string schema, OutboxDeliverer deliverer,
              RelayOptions options = RelayOptions(), RelayObserver* observer = nullptr);
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // One round for every destination of options (or one for all): the
  // number of rows delivered, or the first error (the database's, or
  // UNAVAILABLE when a destination could not be reached).
  absl::StatusOr<int> RunOnce();

  // Starts the workers (no-op if running).
  void Start();
  // Stops them; rows claimed and not yet sent become due when their lease
  // ends (no-op if not running).
  void Stop();
  // The next round of every worker starts now.
  void Wake();
  // The next round for `destination` starts now (all workers when the relay
  // has no worker of its own for it).
  void Wake(const std::string& destination);

  // Rows not yet delivered.
  absl::StatusOr<int64_t> PendingCount();
  // PurgeDeliveredOutbox for this relay's schema.
  absl::StatusOr<int64_t> PurgeDelivered(absl::Duration older_than);

 private:
  struct Lane;
  struct Round {
    int picked = 0;
    int delivered = 0;
    absl::Status unreachable;  // not OK when the destination could not be reached
  };
  absl::StatusOr<Round> RunRound(const std::string& destination);
  absl::StatusOr<absl::Duration> LaneRound(Lane& lane);

  Pool& pool_;
  const std::string schema_;
  const absl::Status schema_status_;
  const BatchDeliverer deliverer_;
  const RelayOptions options_;
  RelayObserver* const observer_;
  std::vector<std::unique_ptr<Lane>> lanes_;
};

// Deletes rows of <schema>.outbox delivered before now - older_than, in
// batches; returns how many.
absl::StatusOr<int64_t> PurgeDeliveredOutbox(Pool& pool, absl::string_view schema,
                                             absl::Duration older_than);

// Per destination: rows not yet delivered and the age of the oldest, for
// dashboards. Destinations with nothing pending are absent.
struct OutboxBacklog {
  int64_t pending = 0;
  absl::Duration oldest_age;
};
absl::StatusOr<std::map<std::string, OutboxBacklog>> ReadOutboxBacklog(Pool& pool,
                                                                       absl::string_view schema);

}  // namespace hotline::pg
