#pragma once

// The pure part of Migrate (libs/pg/migrations.h): checking a list of
// migrations and deciding which still need applying. No database here.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/pg/migrations.h"

namespace hotline::pg {

// A row of <schema>.schema_migrations.
struct AppliedMigration {
  std::string component;
  int version = 0;
  std::string name;
  std::string checksum;
};

// Lower-case hex SHA-256 of the migration's SQL, as stored in checksum.
std::string MigrationChecksum(absl::string_view sql);

// OK when versions are >= 1 and strictly increasing and every name is set;
// INVALID_ARGUMENT naming the offending entry otherwise.
absl::Status ValidateMigrations(const std::vector<Migration>& migrations);

// The migrations of `component` not yet in `applied`, in order.
// FAILED_PRECONDITION when an applied one's checksum differs from its SQL
// now, or when one not applied has a version below the newest applied one.
// `migrations` must have passed ValidateMigrations.
absl::StatusOr<std::vector<const Migration*>> PendingMigrations(
    absl::string_view component, const std::vector<Migration>& migrations,
    const std::vector<AppliedMigration>& applied);

}  // namespace hotline::pg
