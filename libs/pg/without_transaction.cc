#include "libs/pg/without_transaction.h"

#include <pqxx/nontransaction>

#include "libs/pg/errors.h"
#include "libs/pg/session_timeout.h"

namespace hotline::pg {

absl::Status WithoutTransaction(Pool& pool,
                                const std::function<absl::Status(pqxx::transaction_base&)>& fn) {
  absl::StatusOr<Pool::Lease> lease = pool.Acquire();
  if (!lease.ok()) {
    return lease.status();
  }
  try {
    absl::Status status = SetSessionStatementTimeout(*lease);
    if (!status.ok()) {
      return status;
    }
    pqxx::nontransaction session(lease->connection());
    status = fn(session);
    if (!lease->connection().is_open()) {
      lease->MarkBroken();
    }
    return status;
  } catch (...) {
    absl::Status status = StatusFromCurrentException("PostgreSQL statements");
    if (status.code() == absl::StatusCode::kUnavailable || !lease->connection().is_open()) {
      lease->MarkBroken();
    }
    return status;
  }
}

}  // namespace hotline::pg
