#include "libs/pg/inbox.h"

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/names.h"
#include "libs/pg/prepared.h"
#include "libs/pg/purge.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

// {t} stands for <schema>.inbox.
constexpr char kClaim[] =
    "INSERT INTO {t} (event_id, topic) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING";
constexpr char kPurge[] = R"sql(
DELETE FROM {t} WHERE event_id IN (
  SELECT event_id FROM {t}
  WHERE received_at < now() - $1 * interval '1 millisecond' LIMIT $2))sql";

}  // namespace

absl::StatusOr<bool> ClaimEvent(pqxx::work& tx, absl::string_view schema,
                                absl::string_view event_id, absl::string_view topic) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  if (event_id.empty()) {
    return absl::InvalidArgumentError("event_id: must not be empty");
  }
  const std::string table = Qualified(schema, "inbox");
  try {
    pqxx::result r = pg::Exec0(tx, WithTable(kClaim, schema, "inbox"), std::string(event_id),
                               std::string(topic));
    return r.affected_rows() == 1;
  } catch (...) {
    return StatusFromCurrentException(absl::StrCat("claiming event in ", table));
  }
}

absl::StatusOr<int64_t> PurgeInbox(Pool& pool, absl::string_view schema,
                                   absl::Duration older_than) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  return DeleteInBatches(pool, WithTable(kPurge, schema, "inbox"), older_than);
}

}  // namespace hotline::pg
