#include "libs/pg/inbox.h"

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/names.h"
#include "libs/pg/prepared.h"
#include "libs/pg/purge.h"
#include "libs/pg/sql_values.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

// {t} stands for <schema>.inbox.
// Each id once. Inserted in id order, so two receivers claiming overlapping
// batches wait for each other's ids in one order, never in a cycle.
constexpr char kClaimMany[] = R"sql(
INSERT INTO {t} (event_id, topic)
SELECT e.event_id, e.topic FROM unnest($1::text[], $2::text[]) AS e(event_id, topic)
ORDER BY e.event_id
ON CONFLICT (event_id) DO NOTHING
RETURNING event_id)sql";
constexpr char kPurge[] = R"sql(
DELETE FROM {t} WHERE event_id IN (
  SELECT event_id FROM {t}
  WHERE received_at < now() - $1 * interval '1 millisecond' LIMIT $2))sql";

}  // namespace

absl::StatusOr<bool> ClaimEvent(pqxx::work& tx, absl::string_view schema,
                                absl::string_view event_id, absl::string_view topic) {
  HOTLINE_ASSIGN_OR_RETURN(
      std::set<std::string> claimed,
      ClaimEvents(tx, schema, {InboxEntry{std::string(event_id), std::string(topic)}}));
  return !claimed.empty();
}

absl::StatusOr<std::set<std::string>> ClaimEvents(pqxx::work& tx, absl::string_view schema,
                                                  const std::vector<InboxEntry>& events) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  std::vector<std::string> ids;
  std::vector<std::string> topics;
  for (const InboxEntry& event : events) {
    if (event.event_id.empty()) {
      return absl::InvalidArgumentError("event_id: must not be empty");
    }
    ids.push_back(event.event_id);
    topics.push_back(event.topic);
  }
  std::set<std::string> claimed;
  if (ids.empty()) {
    return claimed;
  }
  try {
    for (const pqxx::row& row :
         pg::Exec(tx, WithTable(kClaimMany, schema, "inbox"), TextArray(ids), TextArray(topics))) {
      claimed.insert(row[0].as<std::string>());
    }
    return claimed;
  } catch (...) {
    return StatusFromCurrentException(
        absl::StrCat("claiming events in ", Qualified(schema, "inbox")));
  }
}

absl::StatusOr<int64_t> PurgeInbox(Pool& pool, absl::string_view schema,
                                   absl::Duration older_than) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  return DeleteInBatches(pool, WithTable(kPurge, schema, "inbox"), older_than);
}

}  // namespace hotline::pg
