#pragma once

// The statement_timeout of a pooled session, set only when it changes
// (pg::WithTransaction, pg::WithoutTransaction).
//
// Statements without a deadline, or with more time left than the pool's own
// statement_timeout, get the pool's. Under a request deadline (libs/deadline)
// with less time left they get the time left rounded down to a step of a fixed
// ladder of ten steps a decade (100, 125, 158, 199, 251, 316, 398, 501, 630,
// 794, 1000, ... ms: at least 79% of the time left), and never less than
// kLeastStatementTimeout (or the pool's, if shorter): the setting outlives the
// request on its connection, and must not cut the next user's first statement.
// The setting is made on the session and recorded on the lease
// (Pool::Lease::session_statement_timeout), so requests with the same
// deadline find it made and pay no statement for it.

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/pg/pool.h"

namespace hotline::pg {

inline constexpr absl::Duration kLeastStatementTimeout = absl::Milliseconds(100);

// The statement_timeout for work on a pool whose own is `pool_timeout`, at
// this moment of the current request; DEADLINE_EXCEEDED once its deadline
// passed.
absl::StatusOr<absl::Duration> WantedStatementTimeout(absl::Duration pool_timeout);

// Makes the session's statement_timeout WantedStatementTimeout, with one
// statement outside any transaction block (so it is in force at once, and a
// transaction's first statement can still be SET TRANSACTION), when the lease
// does not record that value already; records it. DEADLINE_EXCEEDED once the
// request's deadline passed. Throws libpqxx's exceptions.
absl::Status SetSessionStatementTimeout(Pool::Lease& lease);

}  // namespace hotline::pg
