#include "libs/pg/outbox.h"

#include <pqxx/binarystring>

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/names.h"
#include "libs/pg/prepared.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

// {t} stands for <schema>.outbox.
// The NOTIFY ($6 = channel) is delivered to listeners when the transaction
// commits (never if it rolls back); PostgreSQL folds repeats within one
// transaction into one. One statement: one round trip per event.
constexpr char kInsert[] = R"sql(
WITH added AS (
  INSERT INTO {t} (event_id, destination, topic, key, payload)
  VALUES (COALESCE(NULLIF($1, ''), gen_random_uuid()::text), $2, $3, $4, $5)
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id)
SELECT event_id, pg_notify($6, $2) FROM added)sql";

}  // namespace

std::string OutboxChannel(absl::string_view schema) {
  return absl::StrCat("hotline_outbox_", schema);
}

absl::StatusOr<std::string> AddToOutbox(pqxx::work& tx, absl::string_view schema,
                                        const OutboxMessage& message) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  if (message.destination.empty()) {
    return absl::InvalidArgumentError("outbox message destination: must not be empty");
  }
  if (message.topic.empty()) {
    return absl::InvalidArgumentError("outbox message topic: must not be empty");
  }
  const std::string table = Qualified(schema, "outbox");
  try {
    pqxx::result rows = pg::Exec(tx, WithTable(kInsert, schema, "outbox"), message.event_id,
                                 message.destination, message.topic, message.key,
                                 pqxx::binarystring(message.payload.data(), message.payload.size()),
                                 OutboxChannel(schema));
    if (rows.empty()) {
      return absl::AlreadyExistsError(
          absl::StrCat("event ", message.event_id, " is already in ", table));
    }
    return rows[0][0].as<std::string>();
  } catch (...) {
    return StatusFromCurrentException(absl::StrCat("adding to ", table));
  }
}

}  // namespace hotline::pg
