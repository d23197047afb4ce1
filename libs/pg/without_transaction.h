#pragma once

// Statements that need no transaction block: each one commits by itself
// (autocommit), which spares the BEGIN and the COMMIT that pg::WithTransaction
// sends around them, two round trips. For work of one statement, or of
// statements each of which may stand without the others (the outbox relay's
// claim and marks).
//
//   absl::Status s = pg::WithoutTransaction(pool, [&](pqxx::transaction_base& session) {
//     pg::Exec0(session, kMarkSent, pg::NumberArray(ids));
//     return absl::OkStatus();
//   });
//
// Statement timeouts as in pg::WithTransaction (libs/pg/session_timeout.h).
// No retry: what ran before an error stays committed, so the caller decides.
// A lost connection is closed instead of returned to the pool. Never throws;
// libpqxx's exceptions become absl::Status (libs/pg/errors.h).
//
// Thread safety: callable from any thread; fn runs on the calling thread.

#include <functional>
#include <pqxx/transaction_base>

#include "absl/status/status.h"
#include "libs/pg/pool.h"

namespace hotline::pg {

absl::Status WithoutTransaction(Pool& pool,
                                const std::function<absl::Status(pqxx::transaction_base&)>& fn);

}  // namespace hotline::pg
