#pragma once

// Hands pending orders to the branch systems that are pulling: open
// PullOrders streams and waiting PollOrders calls ("sessions"). One
// background worker serves every session: when it is woken for the session's
// branch (a new order committed) or every poll interval (expired leases,
// orders made by other replicas), it reads the front of the branch's Redis
// queue and leases those orders to the session in PostgreSQL (lease_store.h;
// straight from PostgreSQL when Redis does not answer), then hands them over.
//
// A session belongs to one puller (a puller id, carried in its cursor):
// "<puller id>.<position of the last delivery it was sent>". A session made
// from a cursor first gets again the leases its puller still holds past that
// position (sent on a broken stream, or in a lost poll answer).
//
// Thread safety: Add and Wake may be called from any thread. Sessions are
// called on the hub's thread, except as their own comments say.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/pg/pool.h"
#include "libs/runtime/service_host.h"
#include "libs/worker/periodic_worker.h"
#include "services/dispatch/store/lease_store.h"
#include "services/dispatch/store/order_queue.h"

namespace hotline::dispatch {

// A puller's position: who it is and the last delivery it was sent.
struct PullCursor {
  std::string puller_id;
  int64_t position = 0;

  std::string ToString() const;
  // INVALID_ARGUMENT "cursor: ..." for text this service did not give out.
  static absl::StatusOr<PullCursor> Parse(absl::string_view text);
  // A new puller: a fresh id at position 0.
  static PullCursor Fresh();
};

class PullSession {
 public:
  // `resume`: whether to send again the leases held past cursor.position.
  PullSession(std::string branch_id, PullCursor cursor, bool resume, int max_outstanding,
              std::optional<absl::Time> deadline)
      : branch_id_(std::move(branch_id)),
        cursor_(std::move(cursor)),
        resume_(resume),
        max_outstanding_(max_outstanding),
        deadline_(deadline) {}
  virtual ~PullSession() = default;

  const std::string& branch_id() const { return branch_id_; }
  int max_outstanding() const { return max_outstanding_; }
  // When a poll gives up waiting; nullopt for streams.
  std::optional<absl::Time> deadline() const { return deadline_; }

  // The call ended (any thread).
  virtual bool Closed() = 0;
  // Still sending earlier deliveries: lease it nothing more yet (any thread).
  virtual bool Busy() = 0;
  // New deliveries, in position order, and the cursor after them.
  virtual void Deliver(std::vector<Delivery> deliveries, const std::string& cursor) = 0;
  // The deadline passed with nothing to deliver (polls).
  virtual void Expire(const std::string& cursor) = 0;
  // The service is stopping: finish the call so that its client comes back
  // with `cursor` (a stream ends UNAVAILABLE, a poll is answered with nothing).
  virtual void End(const std::string& cursor) = 0;

 private:
  friend class PullHub;
  const std::string branch_id_;
  PullCursor cursor_;  // the hub's thread only
  bool resume_;        // the hub's thread only
  const int max_outstanding_;
  const std::optional<absl::Time> deadline_;
};

struct PullOptions {
  absl::Duration lease = absl::Seconds(60);
  absl::Duration poll_interval = absl::Seconds(1);
  // How many ids of a queue's front are offered to one lease query. When
  // the front is full and yields fewer orders than the session takes (its
  // head leased to other pullers), the rest are leased from PostgreSQL
  // among all the branch's pending orders.
  int queue_front = 500;
};

class PullHub final : public runtime::BackgroundWorker {
 public:
  PullHub(pg::Pool& pool, OrderQueue& queue, PullOptions options, const clock::Clock& clock);
  ~PullHub() override;

  // Sessions added before Start wait for it.
  void Start() override;
  void Stop() override;
  // Ends every session, and each one added from now on, with End (on the
  // hub's thread); leases nothing more. Their pullers resume by cursor.
  void Drain() override;

  // Serves `session` at once, then every poll interval until it closes.
  void Add(std::shared_ptr<PullSession> session);
  // Serves the sessions of `branch_id` at once ("": of every branch).
  void Wake(const std::string& branch_id);
  // The same, leasing straight from PostgreSQL: for a notification of an
  // order committed elsewhere, which may not be in the Redis queue yet (the
  // replica that made it pushes it after its commit).
  void WakeFromDatabase(const std::string& branch_id);

 private:
  struct Entry {
    std::shared_ptr<PullSession> session;
    absl::Time due;
  };
  // Serves the sessions that are due; returns the wait until the next one is.
  absl::Duration Round();
  // One look for orders for one session.
  void Serve(PullSession& session, bool from_database);
  void WakeFor(const std::string& branch_id, bool from_database);

  pg::Pool& pool_;
  OrderQueue& queue_;
  const PullOptions options_;
  const clock::Clock& clock_;

  absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> woken_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> woken_by_database_ ABSL_GUARDED_BY(mu_);
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  worker::PeriodicWorker worker_;
};

}  // namespace hotline::dispatch
