#include "services/survey/store/callback_store.h"

#include <pqxx/binarystring>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::survey::store {
namespace {

constexpr char kColumns[] =
    "task, order_id, coalesce(idempotency_key, ''), request_digest FROM survey.callbacks ";

const std::string kSelectTask = absl::StrCat("SELECT ", kColumns, "WHERE task_id = $1::uuid");
const std::string kSelectTaskForUpdate = absl::StrCat(kSelectTask, " FOR UPDATE");
const std::string kSelectLatest = absl::StrCat(
    "SELECT ", kColumns, "WHERE ticket_id = $1::uuid ORDER BY scheduled_at DESC, task_id LIMIT 1");
const std::string kSelectOpen =
    absl::StrCat("SELECT ", kColumns, "WHERE ticket_id = $1::uuid AND state = 'open' FOR UPDATE");
const std::string kSelectByKey = absl::StrCat("SELECT ", kColumns, "WHERE idempotency_key = $1");
// clang-format off
const std::string kSelectOwnLease = absl::StrCat(
    "SELECT ", kColumns,
    "WHERE state = 'open' AND leased_by = $1 AND lease_until > " HOTLINE_PG_TIME("$3") " "
    "  AND (ticket_type = 'report') = $2::boolean "
    "ORDER BY lease_until LIMIT 1 FOR UPDATE");
const std::string kSelectNextDue = absl::StrCat(
    "SELECT ", kColumns,
    "WHERE state = 'open' AND next_attempt_at <= " HOTLINE_PG_TIME("$2") " "
    "  AND (lease_until IS NULL OR lease_until <= " HOTLINE_PG_TIME("$2") ") "
    "  AND (ticket_type = 'report') = $1::boolean "
    "ORDER BY due_at, task_id LIMIT 1 FOR UPDATE SKIP LOCKED");

constexpr char kNextOffer[] =
    "SELECT " HOTLINE_PG_MICROS("min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at)))") " "
    "FROM survey.callbacks WHERE state = 'open' AND (ticket_type = 'report') = $1::boolean";

constexpr char kInsert[] =
    "INSERT INTO survey.callbacks (task_id, ticket_id, ticket_type, branch_id, order_id, state, "
    "  scheduled_at, due_at, next_attempt_at, leased_by, lease_until, completed_at, satisfaction, "
    "  solved, attempts, task, idempotency_key, request_digest) "
    "VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, " HOTLINE_PG_TIME("$7") ", " HOTLINE_PG_TIME("$8") ", "
    "  " HOTLINE_PG_TIME("$9") ", $10, " HOTLINE_PG_TIME("$11") ", " HOTLINE_PG_TIME("$12") ", "
    "  $13, $14, $15, $16, NULLIF($17, ''), $18)";

constexpr char kUpdate[] =
    "UPDATE survey.callbacks SET state = $2, next_attempt_at = " HOTLINE_PG_TIME("$3") ", "
    "  leased_by = $4, lease_until = " HOTLINE_PG_TIME("$5") ", "
    "  completed_at = " HOTLINE_PG_TIME("$6") ", satisfaction = $7, solved = $8, attempts = $9, "
    "  task = $10 "
    "WHERE task_id = $1::uuid";

constexpr char kLockKey[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.survey.key:' || $1, 0))";

constexpr char kAddHistory[] =
    "INSERT INTO survey.callback_history (task_id, at, actor, action, detail) "
    "VALUES ($1::uuid, " HOTLINE_PG_TIME("$2") ", $3, $4, $5)";
constexpr char kHistory[] =
    "SELECT " HOTLINE_PG_MICROS("at") ", actor, action, detail FROM survey.callback_history "
    "WHERE task_id = $1::uuid ORDER BY entry_id LIMIT $2";

constexpr char kCountOpen[] = "SELECT count(*) FROM survey.callbacks WHERE state = 'open'";

constexpr char kCount[] =
    "SELECT count(*), "
    "  count(*) FILTER (WHERE state = 'answered'), "
    "  count(*) FILTER (WHERE state = 'unreachable'), "
    "  count(*) FILTER (WHERE state <> 'open' AND completed_at <= due_at), "
    "  count(*) FILTER (WHERE state = 'open' AND due_at < " HOTLINE_PG_TIME("$5") "), "
    "  count(*) FILTER (WHERE state = 'answered' AND satisfaction = 'satisfied'), "
    "  count(*) FILTER (WHERE state = 'answered' AND satisfaction = 'basically_satisfied'), "
    "  count(*) FILTER (WHERE state = 'answered' AND satisfaction = 'dissatisfied'), "
    "  count(*) FILTER (WHERE state = 'answered' AND solved), "
    "  coalesce(sum(attempts), 0) "
    "FROM survey.callbacks "
    "WHERE scheduled_at >= " HOTLINE_PG_TIME("$1") " AND scheduled_at < " HOTLINE_PG_TIME("$2") " "
    "  AND ($3 = '' OR branch_id = $3) AND ($4 = '' OR ticket_type = $4)";
// clang-format on

std::optional<StoredTask> ReadStored(const pqxx::result& result) {
  if (result.empty()) {
    return std::nullopt;
  }
  StoredTask stored;
  const pqxx::binarystring bytes(result[0][0]);
  stored.task.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  stored.order_id = result[0][1].as<std::string>();
  stored.idempotency_key = result[0][2].as<std::string>();
  stored.request_digest = result[0][3].as<std::string>();
  return stored;
}

std::optional<absl::Time> OptionalTime(const google::protobuf::Timestamp& t, bool has) {
  return has ? std::optional<absl::Time>(FromProtoTime(t)) : std::nullopt;
}

absl::StatusOr<std::optional<StoredTask>> ReadOne(pqxx::work& tx, const std::string& sql,
                                                  const std::string& param) {
  return pg::Guarded("reading a callback", [&]() -> absl::StatusOr<std::optional<StoredTask>> {
    return ReadStored(pg::Exec(tx, sql, param));
  });
}

}  // namespace

absl::StatusOr<std::optional<StoredTask>> FindTask(pqxx::work& tx, const std::string& task_id,
                                                   bool lock) {
  return ReadOne(tx, lock ? kSelectTaskForUpdate : kSelectTask, task_id);
}

absl::StatusOr<std::optional<StoredTask>> FindLatestForTicket(pqxx::work& tx,
                                                              const std::string& ticket_id) {
  return ReadOne(tx, kSelectLatest, ticket_id);
}

absl::StatusOr<std::optional<StoredTask>> FindOpenForTicket(pqxx::work& tx,
                                                            const std::string& ticket_id) {
  return ReadOne(tx, kSelectOpen, ticket_id);
}

absl::StatusOr<std::optional<StoredTask>> FindByKey(pqxx::work& tx, const std::string& key) {
  return ReadOne(tx, kSelectByKey, key);
}

absl::Status LockKey(pqxx::work& tx, const std::string& key) {
  return pg::Guarded("locking an idempotency key", [&]() -> absl::Status {
    pg::Exec(tx, kLockKey, key);
    return absl::OkStatus();
  });
}

absl::Status InsertTask(pqxx::work& tx, const StoredTask& stored) {
  const v1::CallbackTask& t = stored.task;
  return pg::Guarded("storing a callback", [&]() -> absl::Status {
    const pqxx::binarystring bytes(t.SerializeAsString());
    pg::Exec0(tx, kInsert, t.task_id(), t.ticket_id(), EnumText(t.ticket_type()), t.branch_id(),
              stored.order_id, EnumText(t.state()),
              pg::MicrosParam(FromProtoTime(t.scheduled_at())),
              pg::MicrosParam(FromProtoTime(t.due_at())),
              pg::MicrosParam(FromProtoTime(t.next_attempt_at())), t.leased_by(),
              pg::MicrosParam(OptionalTime(t.lease_until(), t.has_lease_until())),
              pg::MicrosParam(OptionalTime(t.completed_at(), t.has_completed_at())),
              EnumText(t.answer().satisfaction()), t.answer().solved(), t.attempts_size(), bytes,
              stored.idempotency_key, stored.request_digest);
    return absl::OkStatus();
  });
}

absl::Status UpdateTask(pqxx::work& tx, const v1::CallbackTask& t) {
  return pg::Guarded("updating a callback", [&]() -> absl::Status {
    const pqxx::binarystring bytes(t.SerializeAsString());
    pg::Exec0(tx, kUpdate, t.task_id(), EnumText(t.state()),
              pg::MicrosParam(FromProtoTime(t.next_attempt_at())), t.leased_by(),
              pg::MicrosParam(OptionalTime(t.lease_until(), t.has_lease_until())),
              pg::MicrosParam(OptionalTime(t.completed_at(), t.has_completed_at())),
              EnumText(t.answer().satisfaction()), t.answer().solved(), t.attempts_size(), bytes);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<StoredTask>> TakeNext(pqxx::work& tx, const std::string& agent,
                                                   bool reports, absl::Time now) {
  return pg::Guarded("taking a callback", [&]() -> absl::StatusOr<std::optional<StoredTask>> {
    std::optional<StoredTask> own =
        ReadStored(pg::Exec(tx, kSelectOwnLease, agent, reports, pg::MicrosParam(now)));
    if (own.has_value()) {
      return own;
    }
    return ReadStored(pg::Exec(tx, kSelectNextDue, reports, pg::MicrosParam(now)));
  });
}

absl::StatusOr<std::optional<absl::Time>> NextOfferAt(pqxx::work& tx, bool reports) {
  return pg::Guarded("reading when callbacks fall due",
                     [&]() -> absl::StatusOr<std::optional<absl::Time>> {
                       return pg::TimeOf(pg::Exec1(tx, kNextOffer, reports)[0]);
                     });
}

absl::Status AddHistory(pqxx::work& tx, const std::string& task_id, absl::Time at,
                        const std::string& actor, const std::string& action,
                        const std::string& detail) {
  return pg::Guarded("writing a callback's history", [&]() -> absl::Status {
    pg::Exec0(tx, kAddHistory, task_id, pg::MicrosParam(at), actor, action, detail);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::CallbackHistoryEntry>> History(pqxx::work& tx,
                                                              const std::string& task_id,
                                                              int limit) {
  return pg::Guarded("reading a callback's history",
                     [&]() -> absl::StatusOr<std::vector<v1::CallbackHistoryEntry>> {
                       std::vector<v1::CallbackHistoryEntry> entries;
                       for (const pqxx::row& row : pg::Exec(tx, kHistory, task_id, limit)) {
                         v1::CallbackHistoryEntry& entry = entries.emplace_back();
                         *entry.mutable_at() = ToProtoTime(pg::RequiredTimeOf(row[0]));
                         entry.set_actor(row[1].as<std::string>());
                         entry.set_action(row[2].as<std::string>());
                         entry.set_detail(row[3].as<std::string>());
                       }
                       return entries;
                     });
}

absl::StatusOr<int64_t> CountOpen(pqxx::work& tx) {
  return pg::Guarded("counting open callbacks", [&]() -> absl::StatusOr<int64_t> {
    return pg::Exec1(tx, kCountOpen)[0].as<int64_t>();
  });
}

absl::StatusOr<SurveyCounts> Count(pqxx::work& tx, absl::Time from, absl::Time to,
                                   const std::string& branch_id, const std::string& ticket_type,
                                   absl::Time now) {
  return pg::Guarded("counting callbacks", [&]() -> absl::StatusOr<SurveyCounts> {
    const pqxx::row row = pg::Exec1(tx, kCount, pg::MicrosParam(from), pg::MicrosParam(to),
                                    branch_id, ticket_type, pg::MicrosParam(now));
    SurveyCounts c;
    c.due = row[0].as<int64_t>();
    c.answered = row[1].as<int64_t>();
    c.unreachable = row[2].as<int64_t>();
    c.on_time = row[3].as<int64_t>();
    c.overdue = row[4].as<int64_t>();
    c.satisfied = row[5].as<int64_t>();
    c.basically_satisfied = row[6].as<int64_t>();
    c.dissatisfied = row[7].as<int64_t>();
    c.solved = row[8].as<int64_t>();
    c.attempts = row[9].as<int64_t>();
    return c;
  });
}

}  // namespace hotline::survey::store
