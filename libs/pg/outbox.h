#pragma once

// The transactional outbox: a state change that another service must learn
// of is written together with an outbox row, in the same transaction, so the
// two commit or roll back together. OutboxRelay (libs/pg/outbox_relay.h)
// later delivers the rows, at least once; receivers deduplicate on event_id
// (libs/pg/inbox.h). The table, <schema>.outbox, is created by Migrate.

#include <cstdint>
#include <functional>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace hotline::pg {

struct OutboxMessage {
  std::string destination;  // the receiving service, e.g. "dispatch"; required
  std::string topic;        // what happened, e.g. "ticket.created"; required
  std::string key;          // what it is about (ticket id...); may be empty
  std::string payload;      // bytes, typically a serialized protobuf
  std::string event_id;     // generated (a random UUID) if empty
};

// Adds `message` to <schema>.outbox inside the caller's transaction and
// returns its event id. On commit PostgreSQL notifies OutboxChannel(schema)
// with the destination as payload, so relays (of any replica) listening
// there send it at once (libs/pg/notifications.h). Errors: INVALID_ARGUMENT (bad schema, empty
// destination or topic); ALREADY_EXISTS when the given event_id is already in
// the outbox (the transaction stays usable); otherwise the mapped database
// error, after which the caller must roll back (return the error from its
// WithTransaction function). Never throws.
absl::StatusOr<std::string> AddToOutbox(pqxx::work& tx, absl::string_view schema,
                                        const OutboxMessage& message);

// Adds every message in one statement (a row each, in the given order), as
// AddToOutbox does one. Errors as AddToOutbox's; ALREADY_EXISTS when any given
// event_id is already there (the others are added: the transaction stays
// usable, and the caller decides).
absl::Status AddAllToOutbox(pqxx::work& tx, absl::string_view schema,
                            const std::vector<OutboxMessage>& messages);

// The NOTIFY channel of <schema>.outbox: "hotline_outbox_<schema>".
std::string OutboxChannel(absl::string_view schema);

// An outbox row as handed to the deliverer.
struct OutboxEvent {
  int64_t id = 0;  // the row's id: increasing in commit-ish order, per schema
  std::string event_id;
  std::string destination;
  std::string topic;
  std::string key;
  std::string payload;
  absl::Time created_at;
  int attempts = 0;  // delivery attempts made before this one
};

// Delivers one event (e.g. a gRPC call to `destination`). OK means the
// receiver has it; any error means try again later. May be called more than
// once for the same event; may throw (treated as an error).
using OutboxDeliverer = std::function<absl::Status(const OutboxEvent&)>;

}  // namespace hotline::pg
