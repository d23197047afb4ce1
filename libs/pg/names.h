#pragma once

// SQL identifiers for the per-service schemas. Schema names reach SQL text
// (they cannot be bound as parameters), so every public entry point of this
// library checks them with ValidateSchemaName before use.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hotline::pg {

// OK when `schema` is a plain lower-case identifier: [a-z_][a-z0-9_]*, at most
// 63 bytes (PostgreSQL's limit), and not starting with "pg_" (reserved).
// INVALID_ARGUMENT naming the rule otherwise.
absl::Status ValidateSchemaName(absl::string_view schema);

// "<schema>.<table>" for a schema that passed ValidateSchemaName and a table
// name that is a constant of this library. No quoting is needed for such names.
std::string Qualified(absl::string_view schema, absl::string_view table);

// `sql` with every "{t}" replaced by Qualified(schema, table): lets
// statements be named constants although the schema varies.
std::string WithTable(absl::string_view sql, absl::string_view schema, absl::string_view table);

}  // namespace hotline::pg
