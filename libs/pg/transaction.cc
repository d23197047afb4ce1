#include "libs/pg/transaction.h"

#include <algorithm>
#include <pqxx/nontransaction>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"
#include "libs/pg/errors.h"
#include "libs/pg/session_timeout.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

constexpr absl::string_view kComponent = "pg.transaction";
constexpr absl::string_view kContext = "PostgreSQL transaction";

struct Attempt {
  absl::Status status;
  bool retryable = false;
};

// After a failed attempt on a connection that is still open, makes sure the
// session is not left inside a transaction block. A statement timeout (cut to
// the request's time left) can cancel the COMMIT itself before it ends the
// block: libpqxx then counts the transaction as aborted and sends no
// ROLLBACK, and the session stays in a failed block, so every later user of
// the pooled connection got "current transaction is aborted" (SQLSTATE
// 25P02) for good. ROLLBACK outside a block is only a warning; a connection
// that cannot even roll back is dropped.
void EndTransactionBlock(Pool::Lease& lease) {
  try {
    pqxx::nontransaction session(lease.connection());
    session.exec0("ROLLBACK");
  } catch (...) {
    lease.MarkBroken();
  }
}

Attempt RunAttempt(Pool::Lease& lease, const TransactionFn& fn) {
  bool committing = false;
  try {
    absl::Status status = SetSessionStatementTimeout(lease);
    if (!status.ok()) {
      return {status, false};
    }
    pqxx::work tx(lease.connection());
    status = fn(tx);
    if (!status.ok()) {
      bool lost = !lease->is_open();
      if (lost) {
        lease.MarkBroken();
      } else {
        tx.abort();
      }
      return {status, lost || status.code() == absl::StatusCode::kAborted};
    }
    committing = true;
    tx.commit();
    return {absl::OkStatus(), false};
  } catch (...) {
    absl::Status status = StatusFromCurrentException(kContext);
    bool lost = status.code() == absl::StatusCode::kUnavailable || !lease->is_open();
    if (lost) {
      lease.MarkBroken();
    } else {
      EndTransactionBlock(lease);
    }
    bool retryable = status.code() == absl::StatusCode::kAborted || (lost && !committing);
    return {status, retryable};
  }
}

// A short random pause so that two conflicting transactions do not collide
// again in lock step.
void PauseBeforeRetry(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  std::uniform_int_distribution<int> ms(5, 20 * attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
}

}  // namespace

absl::Status RunTransaction(Pool::Lease& lease, const TransactionFn& fn) {
  return RunAttempt(lease, fn).status;
}

absl::Status WithTransaction(Pool& pool, const TransactionFn& fn, TransactionOptions options) {
  for (int attempt = 1;; ++attempt) {
    Attempt result;
    {
      absl::StatusOr<Pool::Lease> lease = pool.Acquire();
      if (!lease.ok()) {
        return lease.status();
      }
      result = RunAttempt(*lease, fn);
    }
    if (result.status.ok() || !result.retryable || attempt >= options.max_attempts) {
      return result.status;
    }
    log::Debug(kComponent, "retrying after attempt ", attempt, ": ", result.status.ToString());
    if (result.status.code() == absl::StatusCode::kAborted) {
      PauseBeforeRetry(attempt);
    }
  }
}

}  // namespace hotline::pg
