#include "libs/pg/migrations.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"
#include "libs/pg/errors.h"
#include "libs/pg/library_migrations.h"
#include "libs/pg/migration_plan.h"
#include "libs/pg/names.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

constexpr absl::string_view kLogComponent = "pg.migrate";

// Session-level advisory lock, keyed on the schema: held on one connection
// for the whole run, released explicitly or when that session ends.
constexpr char kLock[] = "SELECT pg_advisory_lock(hashtextextended($1, 0))";
constexpr char kUnlock[] = "SELECT pg_advisory_unlock(hashtextextended($1, 0))";

// {t} stands for <schema>.schema_migrations.
constexpr absl::string_view kTable = "schema_migrations";
constexpr char kRecord[] =
    "INSERT INTO {t} (component, version, name, checksum) VALUES ($1, $2, $3, $4)";
constexpr char kCreateSchemaMigrations[] = R"sql(
CREATE TABLE IF NOT EXISTS {t} (
  component  text NOT NULL,
  version    integer NOT NULL,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (component, version)
))sql";

absl::Status ExecOutsideTransaction(Pool::Lease& lease, const char* sql, const std::string& arg,
                                    absl::string_view context) {
  try {
    pqxx::nontransaction tx(lease.connection());
    tx.exec_params(sql, arg);
    return absl::OkStatus();
  } catch (...) {
    lease.MarkBroken();
    return StatusFromCurrentException(context);
  }
}

absl::Status CreateBookkeeping(Pool::Lease& lease, const std::string& schema) {
  return RunTransaction(lease, [&](pqxx::work& tx) {
    // No "already exists, skipping" notices on every start.
    tx.exec0("SET LOCAL client_min_messages = warning");
    tx.exec0(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", schema));
    tx.exec0(WithTable(kCreateSchemaMigrations, schema, kTable));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<AppliedMigration>> ReadApplied(Pool::Lease& lease,
                                                          const std::string& schema) {
  std::vector<AppliedMigration> applied;
  absl::Status status = RunTransaction(lease, [&](pqxx::work& tx) {
    pqxx::result rows =
        tx.exec(WithTable("SELECT component, version, name, checksum FROM {t}", schema, kTable));
    for (const pqxx::row& row : rows) {
      applied.push_back({row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>(),
                         row[3].as<std::string>()});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  return applied;
}

absl::Status Apply(Pool::Lease& lease, const std::string& schema, absl::string_view component,
                   const Migration& m) {
  absl::Status status = RunTransaction(lease, [&](pqxx::work& tx) {
    tx.exec0(absl::StrCat("SET LOCAL search_path TO ", schema));
    tx.exec(m.sql);
    tx.exec_params0(WithTable(kRecord, schema, kTable), std::string(component), m.version, m.name,
                    MigrationChecksum(m.sql));
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("schema ", schema, ": ", component, " migration ", m.version,
                                     " \"", m.name, "\" failed: ", status.message()));
  }
  log::Info(kLogComponent, "schema ", schema, ": applied ", component, " migration ", m.version,
            " \"", m.name, "\"");
  return absl::OkStatus();
}

void WarnAboutUnknown(const std::string& schema, absl::string_view component,
                      const std::vector<Migration>& known,
                      const std::vector<AppliedMigration>& applied) {
  int newest_known = known.empty() ? 0 : known.back().version;
  for (const AppliedMigration& a : applied) {
    if (a.component == component && a.version > newest_known) {
      log::Warn(kLogComponent, "schema ", schema, ": ", component, " migration ", a.version, " \"",
                a.name, "\" is applied but unknown to this binary (a newer version ran)");
    }
  }
}

absl::Status MigrateLocked(Pool::Lease& lease, const std::string& schema,
                           const std::vector<Migration>& service_migrations) {
  absl::Status created = CreateBookkeeping(lease, schema);
  if (!created.ok()) {
    return absl::Status(
        created.code(),
        absl::StrCat("schema ", schema, ": creating schema_migrations: ", created.message()));
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<AppliedMigration> applied, ReadApplied(lease, schema));
  const std::pair<absl::string_view, const std::vector<Migration>*> components[] = {
      {kLibraryComponent, &LibraryMigrations()},
      {kServiceComponent, &service_migrations},
  };
  int applied_now = 0;
  for (const auto& [component, migrations] : components) {
    WarnAboutUnknown(schema, component, *migrations, applied);
    absl::StatusOr<std::vector<const Migration*>> pending =
        PendingMigrations(component, *migrations, applied);
    if (!pending.ok()) {
      return absl::Status(pending.status().code(),
                          absl::StrCat("schema ", schema, ": ", pending.status().message()));
    }
    for (const Migration* m : *pending) {
      HOTLINE_RETURN_IF_ERROR(Apply(lease, schema, component, *m));
    }
    applied_now += static_cast<int>(pending->size());
  }
  if (applied_now == 0) {
    log::Info(kLogComponent, "schema ", schema, ": up to date");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Migrate(Pool& pool, absl::string_view schema_view,
                     const std::vector<Migration>& migrations) {
  HOTLINE_RETURN_IF_ERROR(ValidateSchemaName(schema_view));
  HOTLINE_RETURN_IF_ERROR(ValidateMigrations(migrations));
  const std::string schema(schema_view);
  const std::string lock_key = absl::StrCat("hotline.pg.migrate:", schema);

  HOTLINE_ASSIGN_OR_RETURN(Pool::Lease lease, pool.Acquire());
  HOTLINE_RETURN_IF_ERROR(
      ExecOutsideTransaction(lease, kLock, lock_key, "taking the migration lock"));
  absl::Status status = MigrateLocked(lease, schema, migrations);
  // On failure to unlock the lease is marked broken: closing the session
  // releases the lock.
  (void)ExecOutsideTransaction(lease, kUnlock, lock_key, "releasing the migration lock");
  return status;
}

}  // namespace hotline::pg
