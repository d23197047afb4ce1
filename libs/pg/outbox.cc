#include "libs/pg/outbox.h"

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/names.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"
#include "libs/status/status.h"
#include "libs/text/uuid.h"

namespace hotline::pg {
namespace {

// {t} stands for <schema>.outbox; the messages as parallel arrays, added in
// their order. The NOTIFY ($6 = channel) is delivered to listeners when the
// transaction commits (never if it rolls back); PostgreSQL folds repeats
// within one transaction into one.
constexpr char kInsertAll[] = R"sql(
WITH added AS (
  INSERT INTO {t} (event_id, destination, topic, key, payload)
  SELECT COALESCE(NULLIF(m.event_id, ''), gen_random_uuid()::text), m.destination, m.topic,
         m.key, m.payload
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[])
       WITH ORDINALITY AS m(event_id, destination, topic, key, payload, n)
  ORDER BY m.n
  ON CONFLICT (event_id) DO NOTHING
  RETURNING destination)
SELECT count(*), count(pg_notify($6, destination)) FROM added)sql";

absl::Status ValidateMessage(const OutboxMessage& message) {
  if (message.destination.empty()) {
    return absl::InvalidArgumentError("outbox message destination: must not be empty");
  }
  if (message.topic.empty()) {
    return absl::InvalidArgumentError("outbox message topic: must not be empty");
  }
  return absl::OkStatus();
}

}  // namespace

std::string OutboxChannel(absl::string_view schema) {
  return absl::StrCat("hotline_outbox_", schema);
}

absl::StatusOr<std::string> AddToOutbox(pqxx::work& tx, absl::string_view schema,
                                        const OutboxMessage& message) {
  OutboxMessage added = message;
  if (added.event_id.empty()) {
    added.event_id = text::NewUuid();
  }
  absl::Status status = AddAllToOutbox(tx, schema, {added});
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("event ", added.event_id, " is already in ", Qualified(schema, "outbox")));
  }
  HOTLINE_RETURN_IF_ERROR(status);
  return added.event_id;
}

absl::Status AddAllToOutbox(pqxx::work& tx, absl::string_view schema,
                            const std::vector<OutboxMessage>& messages) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  if (messages.empty()) {
    return absl::OkStatus();
  }
  std::vector<std::string> event_ids, destinations, topics, keys, payloads;
  for (const OutboxMessage& message : messages) {
    HOTLINE_RETURN_IF_ERROR(ValidateMessage(message));
    event_ids.push_back(message.event_id);
    destinations.push_back(message.destination);
    topics.push_back(message.topic);
    keys.push_back(message.key);
    payloads.push_back(message.payload);
  }
  const std::string table = Qualified(schema, "outbox");
  try {
    pqxx::row counts = pg::Exec1(tx, WithTable(kInsertAll, schema, "outbox"), TextArray(event_ids),
                                 TextArray(destinations), TextArray(topics), TextArray(keys),
                                 ByteaArray(payloads), OutboxChannel(schema));
    if (counts[0].as<size_t>() < messages.size()) {
      return absl::AlreadyExistsError(absl::StrCat(messages.size() - counts[0].as<size_t>(),
                                                   " of the events are already in ", table));
    }
    return absl::OkStatus();
  } catch (...) {
    return StatusFromCurrentException(absl::StrCat("adding to ", table));
  }
}

}  // namespace hotline::pg
