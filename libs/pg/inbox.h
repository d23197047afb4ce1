#pragma once

// The receiving side of at-least-once delivery: remembers which event ids a
// service has applied, so a redelivered event is applied once. The table,
// <schema>.inbox (event_id primary key, topic, received_at), is created by
// Migrate.
//
//   pg::WithTransaction(pool, [&](pqxx::work& tx) -> absl::Status {
//     HOTLINE_ASSIGN_OR_RETURN(bool first, pg::ClaimEvent(tx, "sla", id, topic));
//     if (!first) return absl::OkStatus();  // already applied: acknowledge
//     ... apply the event with tx ...
//     return absl::OkStatus();
//   });

#include <cstdint>
#include <pqxx/transaction>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/pg/pool.h"

namespace hotline::pg {

// Records `event_id` in <schema>.inbox inside the caller's transaction.
// true the first time (apply the event in the same transaction), false when
// it was already claimed by a committed transaction. If another transaction
// holds an uncommitted claim of the same id, waits for it to end: false if it
// commits, true if it rolls back. A claim rolled back with its transaction
// never happened. Errors: INVALID_ARGUMENT (bad schema, empty event_id), or
// the mapped database error (then roll back). Never throws.
absl::StatusOr<bool> ClaimEvent(pqxx::work& tx, absl::string_view schema,
                                absl::string_view event_id, absl::string_view topic);

// An event to claim: its id and topic.
struct InboxEntry {
  std::string event_id;
  std::string topic;
};

// ClaimEvent for many events in one statement: the ids claimed now. An id
// given twice is returned once; the caller applies each id it gets back
// once, so a duplicate in one batch is applied once. Waits for uncommitted
// claims of the same ids as ClaimEvent does. Errors as ClaimEvent's (an empty
// id is INVALID_ARGUMENT).
absl::StatusOr<std::set<std::string>> ClaimEvents(pqxx::work& tx, absl::string_view schema,
                                                  const std::vector<InboxEntry>& events);

// Forgets event ids received before now - older_than, in batches; returns
// how many. An event redelivered after that would be applied again, so
// older_than must exceed any sender's lease and retry horizon by far (the
// services keep a week).
absl::StatusOr<int64_t> PurgeInbox(Pool& pool, absl::string_view schema, absl::Duration older_than);

}  // namespace hotline::pg
