#pragma once

// Publishing an event to other services: inside the caller's transaction, one
// outbox row per destination holding a serialized hotline.common.v1.Event, so
// the event leaves if and only if the state change commits. The outbox relay
// (RelayWorker, delivery.h) sends the rows to each destination's EventSink.
//
//   pg::WithTransaction(pool, [&](pqxx::work& tx) -> absl::Status {
//     ... write the ticket ...
//     return events::Publish(tx, "intake", {"dispatch"}, "ticket.created",
//                            ticket_id, created_payload);
//   });

#include <google/protobuf/message.h>

#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hotline::events {

// Writes the event for every destination; each row gets its own event id
// ("<uuid>.<destination>"), which the receiver's inbox deduplicates on; all in
// one statement. `source` is the publishing service (its schema). Errors:
// those of pg::AddAllToOutbox; the caller's transaction must then roll back.
absl::Status Publish(pqxx::work& tx, absl::string_view source,
                     const std::vector<std::string>& destinations, absl::string_view topic,
                     absl::string_view key, const google::protobuf::Message& payload);

// A random version-4 UUID in its usual text form (text::NewUuid).
std::string NewUuid();

}  // namespace hotline::events
