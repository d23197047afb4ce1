#include "libs/pg/names.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace hotline::pg {

absl::Status ValidateSchemaName(absl::string_view schema) {
  constexpr size_t kMaxIdentifierBytes = 63;
  if (schema.empty() || schema.size() > kMaxIdentifierBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema \"", schema, "\": must be 1 to 63 characters long"));
  }
  if (absl::StartsWith(schema, "pg_")) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema \"", schema, "\": the prefix pg_ is reserved by PostgreSQL"));
  }
  for (size_t i = 0; i < schema.size(); ++i) {
    char c = schema[i];
    bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "schema \"", schema, "\": must match [a-z_][a-z0-9_]* (lower-case, unquoted)"));
    }
  }
  return absl::OkStatus();
}

std::string Qualified(absl::string_view schema, absl::string_view table) {
  return absl::StrCat(schema, ".", table);
}

std::string WithTable(absl::string_view sql, absl::string_view schema, absl::string_view table) {
  return absl::StrReplaceAll(sql, {{"{t}", Qualified(schema, table)}});
}

}  // namespace hotline::pg
