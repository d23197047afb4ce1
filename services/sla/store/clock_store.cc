#include "services/sla/store/clock_store.h"

#include <pqxx/binarystring>
#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::sla::store {
namespace {

// The columns every clock read selects, in the order ReadClock expects.
#define SLA_CLOCK_COLUMNS \
  "clock_id::text, ticket_id::text, ticket_number, ticket_type, stage, unit, "       \
  "area_class, region, superior_unit, state, " HOTLINE_PG_MICROS("started_at") ", " \
  HOTLINE_PG_MICROS("due_at") ", " HOTLINE_PG_MICROS("stopped_at") ", "              \
  "stop_reason, breached, escalation, " HOTLINE_PG_MICROS("segment_start") ", "      \
  "consumed_us, " HOTLINE_PG_MICROS("paused_at") ", paused_us, measure, limit_us, "  \
  "array_to_string(warn_at, ','), supervise_after_us, policy_version, fired, "       \
  HOTLINE_PG_MICROS("next_fire_at") ", start_sequence, "                             \
  "coalesce(idempotency_key, ''), request_digest"

// The open round of a ticket's stage and unit, else its latest.
#define SLA_CURRENT_ROUND                                                     \
  " FROM sla.clocks WHERE ticket_id = $1::uuid AND stage = $2 AND unit = $3 " \
  "ORDER BY state <> 'stopped' DESC, started_at DESC NULLS LAST, created_at DESC LIMIT 1"
constexpr char kSelectClock[] = "SELECT " SLA_CLOCK_COLUMNS SLA_CURRENT_ROUND;
constexpr char kSelectClockForUpdate[] =
    "SELECT " SLA_CLOCK_COLUMNS SLA_CURRENT_ROUND " FOR UPDATE";
constexpr char kSelectByKey[] =
    "SELECT " SLA_CLOCK_COLUMNS " FROM sla.clocks WHERE idempotency_key = $1";
constexpr char kSelectOfTicket[] = "SELECT " SLA_CLOCK_COLUMNS
                                   " FROM sla.clocks WHERE ticket_id = $1::uuid "
                                   "ORDER BY started_at NULLS LAST, created_at, clock_id";
constexpr char kSelectOfTicketForUpdate[] =
    "SELECT " SLA_CLOCK_COLUMNS
    " FROM sla.clocks WHERE ticket_id = $1::uuid "
    "ORDER BY started_at NULLS LAST, created_at, clock_id FOR UPDATE";
constexpr char kLockTicket[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.sla.ticket:' || $1, 0))";

// clang-format off
// Takes the early stop noted for the clock's ticket, stage and unit (if any)
// in the same statement: a clock that starts almost never has one.
constexpr char kInsert[] =
    "WITH early AS (DELETE FROM sla.early_stops WHERE ticket_id = $2::uuid AND stage = $5 "
    "  AND unit = $6 RETURNING stopped_at, reason), "
    "added AS (INSERT INTO sla.clocks (clock_id, ticket_id, ticket_number, ticket_type, stage, unit, "
    "  area_class, region, superior_unit, state, started_at, due_at, stopped_at, stop_reason, "
    "  breached, escalation, segment_start, consumed_us, paused_at, paused_us, measure, "
    "  limit_us, warn_at, supervise_after_us, policy_version, fired, next_fire_at, "
    "  start_sequence, idempotency_key, request_digest) "
    "VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10, "
    "  " HOTLINE_PG_TIME("$11") ", " HOTLINE_PG_TIME("$12") ", " HOTLINE_PG_TIME("$13") ", "
    "  $14, $15, $16, " HOTLINE_PG_TIME("$17") ", $18, " HOTLINE_PG_TIME("$19") ", $20, $21, "
    "  $22, $23::double precision[], $24, $25, $26, " HOTLINE_PG_TIME("$27") ", $28, "
    "  NULLIF($29, ''), $30)) "
    "SELECT " HOTLINE_PG_MICROS("stopped_at") ", reason FROM early";

constexpr char kUpdate[] =
    "UPDATE sla.clocks SET ticket_number = $2, ticket_type = $3, area_class = $4, region = $5, "
    "  superior_unit = $6, state = $7, started_at = " HOTLINE_PG_TIME("$8") ", "
    "  due_at = " HOTLINE_PG_TIME("$9") ", stopped_at = " HOTLINE_PG_TIME("$10") ", "
    "  stop_reason = $11, breached = $12, escalation = $13, "
    "  segment_start = " HOTLINE_PG_TIME("$14") ", consumed_us = $15, "
    "  paused_at = " HOTLINE_PG_TIME("$16") ", paused_us = $17, measure = $18, limit_us = $19, "
    "  warn_at = $20::double precision[], supervise_after_us = $21, policy_version = $22, "
    "  fired = $23, next_fire_at = " HOTLINE_PG_TIME("$24") ", start_sequence = $25 "
    "WHERE clock_id = $1::uuid";
// clang-format on

constexpr char kClaimDue[] =
    "SELECT " SLA_CLOCK_COLUMNS " FROM sla.clocks WHERE next_fire_at <= " HOTLINE_PG_TIME(
        "$1") " AND state = 'running' ORDER BY next_fire_at LIMIT $2 FOR UPDATE SKIP LOCKED";

// The filter's '' / zero values match every row.
constexpr char kListOverdue[] =
    "SELECT " SLA_CLOCK_COLUMNS
    " FROM sla.clocks WHERE state <> 'stopped' AND due_at < " HOTLINE_PG_TIME(
        "$1") " AND ($2 = '' OR unit = $2) AND ($3 = '' OR ticket_type = $3) "
              "  AND ($4 = '' OR stage = $4) "
              "  AND ($5 = '' OR (due_at, clock_id) > (" HOTLINE_PG_TIME(
                  "$5") ", NULLIF($6, '')::uuid)) "
                        "ORDER BY due_at, clock_id LIMIT $7";

constexpr char kDueBetween[] =
    "SELECT " SLA_CLOCK_COLUMNS
    " FROM sla.clocks WHERE state <> 'stopped' AND due_at >= " HOTLINE_PG_TIME(
        "$1") " AND due_at < " HOTLINE_PG_TIME("$2") " ORDER BY due_at, clock_id LIMIT $3";

constexpr char kOpenOfStage[] = "SELECT " SLA_CLOCK_COLUMNS
                                " FROM sla.clocks WHERE state <> 'stopped' AND stage = $1 "
                                "ORDER BY started_at, clock_id LIMIT $2";

constexpr char kCountOpen[] =
    "SELECT stage, count(*) FROM sla.clocks WHERE state <> 'stopped' GROUP BY stage";

constexpr char kCountOverdue[] =
    "SELECT unit, count(*) FROM sla.clocks WHERE state <> 'stopped' AND breached GROUP BY unit";

constexpr char kAddEarlyStop[] =
    "INSERT INTO sla.early_stops (ticket_id, stage, unit, stopped_at, reason, noted_at) "
    "VALUES ($1::uuid, $2, $3, " HOTLINE_PG_TIME("$4") ", $5, now()) ON CONFLICT DO NOTHING";
constexpr char kPurgeEarlyStops[] =
    "DELETE FROM sla.early_stops WHERE noted_at < now() - $1::bigint * interval '1 microsecond'";

constexpr char kLockActions[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.sla.actions', 0))";

constexpr char kInsertAction[] =
    "INSERT INTO sla.actions (clock_id, milestone, kind, unit, due_at, fired_at, targets, "
    "  detail, action) VALUES ($1::uuid, $2, $3, $4, " HOTLINE_PG_TIME("$5") ", " HOTLINE_PG_TIME(
        "$6") ", $7::text[], $8, $9) "
              "ON CONFLICT (clock_id, milestone) DO NOTHING RETURNING sequence";

constexpr char kActionsAfter[] =
    "SELECT sequence, action FROM sla.actions WHERE sequence > $1 AND ($2 = '' OR unit = $2) "
    "ORDER BY sequence LIMIT $3";

constexpr char kLastSequence[] = "SELECT coalesce(max(sequence), 0) FROM sla.actions";

constexpr char kActionsBetween[] =
    "SELECT sequence, action FROM sla.actions WHERE fired_at >= " HOTLINE_PG_TIME(
        "$1") " AND fired_at < " HOTLINE_PG_TIME("$2") " AND kind = ANY($3::text[]) "
                                                       "ORDER BY sequence LIMIT $4";

template <typename E>
E Enum(const pqxx::field& field) {
  return ParseEnumText<E>(field.as<std::string>()).value_or(static_cast<E>(0));
}

std::vector<double> Fractions(const std::string& text) {
  std::vector<double> out;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    double value = 0;
    if (absl::SimpleAtod(part, &value)) {
      out.push_back(value);
    }
  }
  return out;
}

ClockRecord ReadClock(const pqxx::row& row) {
  ClockRecord c;
  c.clock_id = row[0].as<std::string>();
  c.ticket_id = row[1].as<std::string>();
  c.ticket_number = row[2].as<std::string>();
  c.ticket_type = Enum<common::v1::TicketType>(row[3]);
  c.stage = Enum<v1::Stage>(row[4]);
  c.unit = row[5].as<std::string>();
  c.area_class = Enum<common::v1::AreaClass>(row[6]);
  c.region = row[7].as<std::string>();
  c.superior_unit = row[8].as<std::string>();
  c.state = Enum<v1::ClockState>(row[9]);
  c.started_at = pg::TimeOf(row[10]);
  c.due_at = pg::TimeOf(row[11]);
  c.stopped_at = pg::TimeOf(row[12]);
  c.stop_reason = row[13].as<std::string>();
  c.breached = row[14].as<bool>();
  c.escalation = Enum<v1::Escalation>(row[15]);
  c.run.segment_start = pg::TimeOf(row[16]).value_or(absl::UnixEpoch());
  c.run.consumed = absl::Microseconds(row[17].as<int64_t>());
  c.paused_at = pg::TimeOf(row[18]);
  c.paused_for = absl::Microseconds(row[19].as<int64_t>());
  c.terms.measure = Enum<v1::Measure>(row[20]);
  c.terms.limit = absl::Microseconds(row[21].as<int64_t>());
  c.terms.warn_at = Fractions(row[22].is_null() ? "" : row[22].as<std::string>());
  c.terms.supervise_after = absl::Microseconds(row[23].as<int64_t>());
  c.policy_version = row[24].as<int64_t>();
  c.fired = row[25].as<int>();
  c.next_fire_at = pg::TimeOf(row[26]);
  c.start_sequence = row[27].as<int64_t>();
  c.idempotency_key = row[28].as<std::string>();
  c.request_digest = row[29].as<std::string>();
  return c;
}

std::vector<ClockRecord> ReadClocks(const pqxx::result& result) {
  std::vector<ClockRecord> out;
  out.reserve(result.size());
  for (const pqxx::row& row : result) {
    out.push_back(ReadClock(row));
  }
  return out;
}

std::vector<v1::SlaAction> ReadActions(const pqxx::result& result) {
  std::vector<v1::SlaAction> out;
  for (const pqxx::row& row : result) {
    v1::SlaAction action;
    const pqxx::binarystring bytes(row[1]);
    action.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    action.set_sequence(row[0].as<int64_t>());
    out.push_back(std::move(action));
  }
  return out;
}

int64_t Micros(absl::Duration d) { return absl::ToInt64Microseconds(d); }

}  // namespace

absl::StatusOr<std::optional<ClockRecord>> FindClock(pqxx::work& tx, const std::string& ticket_id,
                                                     v1::Stage stage, const std::string& unit,
                                                     bool lock) {
  return pg::Guarded("reading a clock", [&]() -> absl::StatusOr<std::optional<ClockRecord>> {
    pqxx::result r =
        pg::Exec(tx, lock ? kSelectClockForUpdate : kSelectClock, ticket_id, EnumText(stage), unit);
    if (r.empty()) {
      return std::optional<ClockRecord>();
    }
    return std::optional<ClockRecord>(ReadClock(r[0]));
  });
}

absl::StatusOr<std::optional<ClockRecord>> FindClockByKey(pqxx::work& tx, const std::string& key) {
  return pg::Guarded("reading a clock", [&]() -> absl::StatusOr<std::optional<ClockRecord>> {
    pqxx::result r = pg::Exec(tx, kSelectByKey, key);
    if (r.empty()) {
      return std::optional<ClockRecord>();
    }
    return std::optional<ClockRecord>(ReadClock(r[0]));
  });
}

absl::StatusOr<std::vector<ClockRecord>> ClocksOfTicket(pqxx::work& tx,
                                                        const std::string& ticket_id, bool lock) {
  return pg::Guarded(
      "reading a ticket's clocks", [&]() -> absl::StatusOr<std::vector<ClockRecord>> {
        return ReadClocks(
            pg::Exec(tx, lock ? kSelectOfTicketForUpdate : kSelectOfTicket, ticket_id));
      });
}

absl::Status LockTicketClocks(pqxx::work& tx, const std::string& ticket_id) {
  return pg::Guarded("locking a ticket's clocks", [&]() -> absl::Status {
    pg::Exec(tx, kLockTicket, ticket_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<EarlyStop>> InsertClock(pqxx::work& tx, const ClockRecord& c) {
  return pg::Guarded("storing a clock", [&]() -> absl::StatusOr<std::optional<EarlyStop>> {
    pqxx::result r = pg::Exec(
        tx, kInsert, c.clock_id, c.ticket_id, c.ticket_number, EnumText(c.ticket_type),
        EnumText(c.stage), c.unit, EnumText(c.area_class), c.region, c.superior_unit,
        EnumText(c.state), pg::MicrosParam(c.started_at), pg::MicrosParam(c.due_at),
        pg::MicrosParam(c.stopped_at), c.stop_reason, c.breached, EnumText(c.escalation),
        pg::MicrosParam(c.run.segment_start), Micros(c.run.consumed), pg::MicrosParam(c.paused_at),
        Micros(c.paused_for), EnumText(c.terms.measure), Micros(c.terms.limit),
        pg::NumberArray(c.terms.warn_at), Micros(c.terms.supervise_after), c.policy_version,
        c.fired, pg::MicrosParam(c.next_fire_at), c.start_sequence, c.idempotency_key,
        c.request_digest);
    if (r.empty()) {
      return std::optional<EarlyStop>();
    }
    return std::optional<EarlyStop>(
        EarlyStop{pg::RequiredTimeOf(r[0][0]), r[0][1].as<std::string>()});
  });
}

absl::Status UpdateClock(pqxx::work& tx, const ClockRecord& c) {
  return pg::Guarded("updating a clock", [&]() -> absl::Status {
    pg::Exec0(
        tx, kUpdate, c.clock_id, c.ticket_number, EnumText(c.ticket_type), EnumText(c.area_class),
        c.region, c.superior_unit, EnumText(c.state), pg::MicrosParam(c.started_at),
        pg::MicrosParam(c.due_at), pg::MicrosParam(c.stopped_at), c.stop_reason, c.breached,
        EnumText(c.escalation), pg::MicrosParam(c.run.segment_start), Micros(c.run.consumed),
        pg::MicrosParam(c.paused_at), Micros(c.paused_for), EnumText(c.terms.measure),
        Micros(c.terms.limit), pg::NumberArray(c.terms.warn_at), Micros(c.terms.supervise_after),
        c.policy_version, c.fired, pg::MicrosParam(c.next_fire_at), c.start_sequence);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ClockRecord>> ClaimDueClocks(pqxx::work& tx, absl::Time now, int limit) {
  return pg::Guarded("claiming due clocks", [&]() -> absl::StatusOr<std::vector<ClockRecord>> {
    return ReadClocks(pg::Exec(tx, kClaimDue, pg::MicrosParam(now), limit));
  });
}

absl::StatusOr<std::vector<ClockRecord>> ListOverdue(
    pqxx::work& tx, absl::Time now, const OverdueFilter& filter,
    const std::optional<std::pair<absl::Time, std::string>>& after, int limit) {
  return pg::Guarded("listing overdue clocks", [&]() -> absl::StatusOr<std::vector<ClockRecord>> {
    return ReadClocks(pg::Exec(tx, kListOverdue, pg::MicrosParam(now), filter.unit,
                               EnumText(filter.ticket_type), EnumText(filter.stage),
                               after.has_value() ? pg::MicrosParam(after->first) : std::string(),
                               after.has_value() ? after->second : std::string(), limit));
  });
}

absl::StatusOr<std::vector<ClockRecord>> OpenClocksDueBetween(pqxx::work& tx, absl::Time from,
                                                              absl::Time to, int limit) {
  return pg::Guarded("reading clocks due soon", [&]() -> absl::StatusOr<std::vector<ClockRecord>> {
    return ReadClocks(pg::Exec(tx, kDueBetween, pg::MicrosParam(from), pg::MicrosParam(to), limit));
  });
}

absl::StatusOr<std::vector<ClockRecord>> OpenClocksOfStage(pqxx::work& tx, v1::Stage stage,
                                                           int limit) {
  return pg::Guarded("reading open clocks", [&]() -> absl::StatusOr<std::vector<ClockRecord>> {
    return ReadClocks(pg::Exec(tx, kOpenOfStage, EnumText(stage), limit));
  });
}

absl::StatusOr<std::vector<std::pair<v1::Stage, int64_t>>> CountOpenClocks(pqxx::work& tx) {
  return pg::Guarded("counting open clocks",
                     [&]() -> absl::StatusOr<std::vector<std::pair<v1::Stage, int64_t>>> {
                       std::vector<std::pair<v1::Stage, int64_t>> out;
                       for (const pqxx::row& row : pg::Exec(tx, kCountOpen)) {
                         out.emplace_back(Enum<v1::Stage>(row[0]), row[1].as<int64_t>());
                       }
                       return out;
                     });
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> CountOverdueClocks(pqxx::work& tx) {
  return pg::Guarded("counting overdue clocks",
                     [&]() -> absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> {
                       std::vector<std::pair<std::string, int64_t>> out;
                       for (const pqxx::row& row : pg::Exec(tx, kCountOverdue)) {
                         out.emplace_back(row[0].as<std::string>(), row[1].as<int64_t>());
                       }
                       return out;
                     });
}

absl::Status AddEarlyStop(pqxx::work& tx, const std::string& ticket_id, v1::Stage stage,
                          const std::string& unit, absl::Time at, const std::string& reason) {
  return pg::Guarded("noting an early stop", [&]() -> absl::Status {
    pg::Exec0(tx, kAddEarlyStop, ticket_id, EnumText(stage), unit, pg::MicrosParam(at), reason);
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> PurgeEarlyStops(pqxx::work& tx, absl::Duration kept) {
  return pg::Guarded("purging early stops", [&]() -> absl::StatusOr<int64_t> {
    return static_cast<int64_t>(
        pg::Exec(tx, kPurgeEarlyStops, absl::ToInt64Microseconds(kept)).affected_rows());
  });
}

absl::Status LockActions(pqxx::work& tx) {
  return pg::Guarded("locking the action sequence", [&]() -> absl::Status {
    pg::Exec(tx, kLockActions);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<int64_t>> InsertAction(pqxx::work& tx, const ClockRecord& clock,
                                                    int milestone, const v1::SlaAction& action,
                                                    absl::Time fired_at) {
  return pg::Guarded("recording an action", [&]() -> absl::StatusOr<std::optional<int64_t>> {
    std::vector<std::string> targets(action.targets().begin(), action.targets().end());
    const std::string bytes = action.SerializeAsString();
    pqxx::result r = pg::Exec(tx, kInsertAction, clock.clock_id, milestone, EnumText(action.kind()),
                              clock.unit, pg::MicrosParam(FromProtoTime(action.at())),
                              pg::MicrosParam(fired_at), pg::TextArray(targets), action.detail(),
                              pqxx::binarystring(bytes.data(), bytes.size()));
    if (r.empty()) {
      return std::optional<int64_t>();
    }
    return std::optional<int64_t>(r[0][0].as<int64_t>());
  });
}

absl::StatusOr<std::vector<v1::SlaAction>> ActionsAfter(pqxx::work& tx, int64_t after_sequence,
                                                        const std::string& unit, int limit) {
  return pg::Guarded("reading actions", [&]() -> absl::StatusOr<std::vector<v1::SlaAction>> {
    return ReadActions(pg::Exec(tx, kActionsAfter, after_sequence, unit, limit));
  });
}

absl::StatusOr<int64_t> LastActionSequence(pqxx::work& tx) {
  return pg::Guarded("reading the last action", [&]() -> absl::StatusOr<int64_t> {
    return pg::Exec1(tx, kLastSequence)[0].as<int64_t>();
  });
}

absl::StatusOr<std::vector<v1::SlaAction>> ActionsFiredBetween(
    pqxx::work& tx, absl::Time from, absl::Time to, const std::vector<v1::ActionKind>& kinds,
    int limit) {
  return pg::Guarded("reading actions", [&]() -> absl::StatusOr<std::vector<v1::SlaAction>> {
    std::vector<std::string> names;
    for (v1::ActionKind kind : kinds) {
      names.push_back(EnumText(kind));
    }
    return ReadActions(pg::Exec(tx, kActionsBetween, pg::MicrosParam(from), pg::MicrosParam(to),
                                pg::TextArray(names), limit));
  });
}

}  // namespace hotline::sla::store
