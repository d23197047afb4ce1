#include "libs/pg/inbox.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/names.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

// {t} stands for <schema>.inbox.
constexpr char kClaim[] =
    "INSERT INTO {t} (event_id, topic) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING";

}  // namespace

absl::StatusOr<bool> ClaimEvent(pqxx::work& tx, absl::string_view schema,
                                absl::string_view event_id, absl::string_view topic) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema));
  if (event_id.empty()) {
    return absl::InvalidArgumentError("event_id: must not be empty");
  }
  const std::string table = Qualified(schema, "inbox");
  try {
    pqxx::result r = tx.exec_params0(WithTable(kClaim, schema, "inbox"), std::string(event_id),
                                     std::string(topic));
    return r.affected_rows() == 1;
  } catch (...) {
    return StatusFromCurrentException(absl::StrCat("claiming event in ", table));
  }
}

}  // namespace hotline::pg
