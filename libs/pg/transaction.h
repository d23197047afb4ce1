#pragma once

// Explicit transactions on the pool, with libpqxx exceptions turned into
// absl::Status (mapping in libs/pg/errors.h).
//
//   absl::Status s = pg::WithTransaction(pool, [&](pqxx::work& tx) -> absl::Status {
//     pg::Exec0(tx, kInsertTicket, id, phone);
//     return pg::AddToOutbox(tx, "intake", message).status();
//   });
//
// fn returning OK commits; fn returning an error (or throwing) rolls back and
// that error is returned. fn must not commit or abort `tx` itself. pqxx::work is READ COMMITTED;
// run `SET TRANSACTION ISOLATION LEVEL SERIALIZABLE` as fn's first statement for more.
//
// Retries: fn runs again, on a fresh transaction, when the attempt failed
// with ABORTED (serialization failure, deadlock) or because the connection
// broke before COMMIT was sent (nothing was committed, so running again is
// safe). So fn must not act outside the database (no RPCs, no pushes to
// Redis) unless those acts are idempotent. A connection lost during COMMIT is
// UNAVAILABLE "outcome is unknown" and is not retried.
//
// Deadline: under a request deadline (libs/deadline), waiting for a
// connection stops at the deadline and each statement's statement_timeout
// is cut to the time left (libs/pg/session_timeout.h), so the work ends with
// DEADLINE_EXCEEDED soon after the caller gave up; no attempt starts after
// the deadline. Without a deadline statements have the pool's
// statement_timeout.
//
// Thread safety: callable from any thread; fn runs on the calling thread.

#include <functional>
#include <optional>
#include <pqxx/transaction>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/pg/pool.h"

namespace hotline::pg {

struct TransactionOptions {
  // Attempts in all (1 = no retry).
  int max_attempts = 3;
};

using TransactionFn = std::function<absl::Status(pqxx::work&)>;

// Acquires a connection (Pool::Acquire's errors), runs fn in a transaction,
// retries as above. Never throws.
absl::Status WithTransaction(Pool& pool, const TransactionFn& fn,
                             TransactionOptions options = TransactionOptions());

// One attempt on a connection the caller already holds (for work that needs
// its session, such as an advisory lock). Marks the lease broken when the
// connection was lost. Never throws.
absl::Status RunTransaction(Pool::Lease& lease, const TransactionFn& fn);

// WithTransaction for a function that also produces a value, returned once
// the transaction has committed:
//   absl::StatusOr<int64_t> id = pg::WithTransactionResult<int64_t>(pool,
//       [&](pqxx::work& tx) -> absl::StatusOr<int64_t> { ... });
template <typename T>
absl::StatusOr<T> WithTransactionResult(Pool& pool,
                                        const std::function<absl::StatusOr<T>(pqxx::work&)>& fn,
                                        TransactionOptions options = TransactionOptions()) {
  std::optional<T> result;
  absl::Status status = WithTransaction(
      pool,
      [&](pqxx::work& tx) -> absl::Status {
        absl::StatusOr<T> value = fn(tx);
        if (!value.ok()) {
          return value.status();
        }
        result = std::move(*value);
        return absl::OkStatus();
      },
      options);
  if (!status.ok()) {
    return status;
  }
  return std::move(*result);
}

}  // namespace hotline::pg
