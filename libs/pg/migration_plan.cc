#include "libs/pg/migration_plan.h"

#include <openssl/evp.h>

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hotline::pg {

std::string MigrationChecksum(absl::string_view sql) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(sql.data(), sql.size(), digest, &size, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), static_cast<size_t>(size)));
}

absl::Status ValidateMigrations(const std::vector<Migration>& migrations) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration ", m.version, " \"", m.name, "\": versions must be >= 1 and strictly ",
          "increasing (it follows version ", previous, ")"));
    }
    if (m.name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration ", m.version, ": name must not be empty"));
    }
    previous = m.version;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<const Migration*>> PendingMigrations(
    absl::string_view component, const std::vector<Migration>& migrations,
    const std::vector<AppliedMigration>& applied) {
  std::map<int, const AppliedMigration*> done;
  for (const AppliedMigration& a : applied) {
    if (a.component == component) {
      done[a.version] = &a;
    }
  }
  const int newest_applied = done.empty() ? 0 : done.rbegin()->first;
  std::vector<const Migration*> pending;
  for (const Migration& m : migrations) {
    auto it = done.find(m.version);
    if (it == done.end()) {
      if (m.version < newest_applied) {
        return absl::FailedPreconditionError(
            absl::StrCat(component, " migration ", m.version, " \"", m.name,
                         "\" is not applied but the later version ", newest_applied,
                         " is: add new migrations after the newest one"));
      }
      pending.push_back(&m);
      continue;
    }
    if (it->second->checksum != MigrationChecksum(m.sql)) {
      return absl::FailedPreconditionError(
          absl::StrCat(component, " migration ", m.version, " \"", m.name,
                       "\" was changed after it was applied (applied as \"", it->second->name,
                       "\" with checksum ", it->second->checksum,
                       "); add a new migration instead of editing an applied one"));
    }
  }
  return pending;
}

}  // namespace hotline::pg
