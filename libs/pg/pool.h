#pragma once

// A bounded pool of PostgreSQL connections (libpqxx 6).
//
// At most `size` connections exist at once; they are opened lazily, on the
// first Acquire that finds no idle one. A caller borrows a connection as a
// Pool::Lease and gives it back by destroying the lease.
//
// Recovery: a connection that broke (pqxx::broken_connection, is_open()
// false, or a lease marked broken) is closed instead of being returned, and
// its slot is refilled by a fresh connection on a later Acquire. An idle
// connection whose socket has become readable (the server closed it or sent a
// FATAL notice, as on a restart) is discarded before it is handed out. So the
// pool heals by itself after PostgreSQL restarts.
//
// Thread safety: every method is safe to call from any thread. A Lease, and
// the connection it holds, belongs to one thread at a time.
// Errors: no method throws.

#include <memory>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hotline::pg {

struct PoolOptions {
  // libpq connection string or URI. Unless it sets connect_timeout, the pool
  // adds one of acquire_timeout (at least 2 s).
  std::string uri;
  // The most connections open at once.
  int size = 8;
  // How long Acquire waits for a free slot (less when the request's
  // deadline, libs/deadline, comes sooner).
  absl::Duration acquire_timeout = absl::Seconds(5);
  // Set on every connection: no statement runs longer, and no lock is waited
  // for longer, than this (zero: PostgreSQL's default, no limit). Statements
  // run under a request deadline with less time left get about the time left
  // (libs/pg/session_timeout.h).
  absl::Duration statement_timeout = absl::Seconds(30);
  absl::Duration lock_timeout = absl::Seconds(10);
};

class Pool {
 public:
  // A borrowed connection. Move-only; returns the connection to the pool (or
  // closes it, if broken) on destruction.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    pqxx::connection& connection() const { return *conn_; }
    pqxx::connection& operator*() const { return *conn_; }
    pqxx::connection* operator->() const { return conn_.get(); }

    // Close the connection instead of reusing it (call after catching
    // pqxx::broken_connection or on any doubt about its session state).
    void MarkBroken() { broken_ = true; }

    // The session's statement_timeout as last set through the pool (the
    // pool's statement_timeout when it was opened), kept with the connection
    // while it is idle; kUnknownTimeout when it is not known. Whoever changes
    // the setting on the session records it here (libs/pg/session_timeout.h).
    static constexpr absl::Duration kUnknownTimeout = -absl::Nanoseconds(1);
    absl::Duration session_statement_timeout() const { return session_statement_timeout_; }
    void set_session_statement_timeout(absl::Duration timeout) {
      session_statement_timeout_ = timeout;
    }
    // The options of the pool the connection came from.
    const PoolOptions& pool_options() const;

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn, absl::Duration statement_timeout)
        : pool_(pool), conn_(std::move(conn)), session_statement_timeout_(statement_timeout) {}
    void Return();

    Pool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool broken_ = false;
    absl::Duration session_statement_timeout_;
  };

  struct Stats {
    int open = 0;  // connections that exist (idle, leased or being opened)
    int idle = 0;
  };

  // Connects nothing yet. options.size must be at least 1 (values below are
  // treated as 1).
  explicit Pool(PoolOptions options);
  // Every Lease must have been destroyed before the pool.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connection, waiting up to acquire_timeout (or the request's deadline,
  // if sooner) for one to be free. DEADLINE_EXCEEDED when all `size`
  // connections stayed in use that long;
  // UNAVAILABLE when a new connection cannot be opened (server down,
  // authentication refused: the message carries libpq's reason).
  absl::StatusOr<Lease> Acquire();

  // Runs SELECT 1 on a pooled connection: OK, or the error of Acquire or of
  // the query (UNAVAILABLE when the server is unreachable). For readiness
  // probes.
  absl::Status Ping();

  Stats stats() const;
  const PoolOptions& options() const { return options_; }

 private:
  // An idle connection and its session's statement_timeout.
  struct Idle {
    std::unique_ptr<pqxx::connection> conn;
    absl::Duration statement_timeout;
  };
  void Release(std::unique_ptr<pqxx::connection> conn, bool broken,
               absl::Duration statement_timeout);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Open();
  bool CanAcquire() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const PoolOptions options_;
  const std::string conninfo_;
  mutable absl::Mutex mu_;
  std::vector<Idle> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hotline::pg
