#include "services/intake/tickets/store/ticket_store.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <map>
#include <pqxx/pqxx>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "services/intake/tickets/domain/ticket_number.h"
#include "services/intake/tickets/domain/ticket_state_machine.h"

namespace hotline::intake::store {
namespace {

using common::v1::TicketStatus;

// The statements, as string literals. Times travel as microseconds since
// the epoch (libs/pg/sql_values.h).

// Statuses in which a ticket still has work to do (TicketStateMachine::IsOpen)
// and, without linked_to_outage, the open repairs of the duplicate check (the
// partial indexes of 0001_tickets.sql use the same list).
#define OPEN_STATUSES                                                                   \
  "('created', 'linked_to_outage', 'routed', 'dispatched', 'accepted', 'in_progress', " \
  "'returned', 'rerouted', 'reopened')"
#define OPEN_REPAIR_STATUSES                                                                \
  "('created', 'routed', 'dispatched', 'accepted', 'in_progress', 'returned', 'rerouted', " \
  "'reopened')"

// Past an unmet deadline ($1 is now) and not resolved.
#define OVERDUE                                                                           \
  "(t.status IN " OPEN_STATUSES                                                           \
  " AND EXISTS (SELECT 1 FROM intake.ticket_deadlines d WHERE d.ticket_id = t.ticket_id " \
  "AND d.met_at IS NULL AND d.due_at < " HOTLINE_PG_TIME("$1") "))"

// A ticket's deadlines in the same read, by due time then kind: "kind due met"
// (microseconds since the epoch; met empty when not met) joined by ','.
#define DEADLINES \
  "(SELECT string_agg(d.kind || ' ' || " HOTLINE_PG_MICROS("d.due_at") " || ' ' || "   \
  "coalesce(" HOTLINE_PG_MICROS("d.met_at") "::text, ''), ',' ORDER BY d.due_at, d.kind) " \
  "FROM intake.ticket_deadlines d WHERE d.ticket_id = t.ticket_id)"

// Every column RowToTicket reads, in its order; $1 is now.
#define SELECT_TICKET \
  "SELECT t.ticket_id::text, t.ticket_number, t.type, t.status, t.channel, t.create_outcome, " \
  "t.customer_name, t.customer_phone, t.customer_account, t.address::text, t.description, "    \
  "t.details::text, t.outage_check, t.outage_notice_id, " HOTLINE_PG_MICROS("t.outage_restore_at")        \
  ", t.outage_skipped_reason, COALESCE(t.linked_ticket_id::text, ''), "                        \
  "COALESCE(l.ticket_number, ''), t.urgings, t.urgency, t.branch_id, t.order_id, "             \
  "t.order_number, " HOTLINE_PG_MICROS("t.estimated_restore_at") ", " HOTLINE_PG_MICROS("t.last_order_event_at")     \
  ", t.last_order_event_sequence, t.cancel_reason, t.created_by, " HOTLINE_PG_MICROS("t.created_at")    \
  ", " HOTLINE_PG_MICROS("t.updated_at")                                                                 \
  ", t.request_digest, " OVERDUE                                                              \
  " AS overdue, t.deadlines_pending, t.last_callback_event_sequence, " DEADLINES              \
  " FROM intake.tickets t LEFT JOIN intake.tickets l ON l.ticket_id = t.linked_ticket_id "

constexpr char kFindByKey[] = SELECT_TICKET "WHERE t.idempotency_key = $2";
constexpr char kKeyUsed[] =
    "SELECT EXISTS (SELECT 1 FROM intake.tickets WHERE idempotency_key = $1)";
constexpr char kFindById[] = SELECT_TICKET "WHERE t.ticket_id = $2::uuid";
constexpr char kFindByIdForUpdate[] = SELECT_TICKET "WHERE t.ticket_id = $2::uuid FOR UPDATE OF t";
constexpr char kFindByNumber[] = SELECT_TICKET "WHERE t.ticket_number = $2";

// Filters are skipped when their parameter is NULL or ''; $10, $11 the cursor.
constexpr char kListTickets[] = SELECT_TICKET
    "WHERE ($2::text[] IS NULL OR t.status = ANY($2::text[])) "
    "AND ($3::text[] IS NULL OR t.type = ANY($3::text[])) "
    "AND ($4 = '' OR t.branch_id = $4) "
    "AND ($5 = '' OR t.county = $5) "
    "AND ($6 = '' OR t.township = $6) "
    "AND (" HOTLINE_PG_TIME("$7") " IS NULL OR t.created_at >= " HOTLINE_PG_TIME("$7") ") "
    "AND (" HOTLINE_PG_TIME("$8") " IS NULL OR t.created_at < " HOTLINE_PG_TIME("$8") ") "
    "AND (NOT $9::boolean OR " OVERDUE ") "
    "AND (" HOTLINE_PG_TIME("$10") " IS NULL OR (t.created_at, t.ticket_id) < (" HOTLINE_PG_TIME("$10") ", $11::uuid)) "
    "ORDER BY t.created_at DESC, t.ticket_id DESC LIMIT $12";

constexpr char kFindOpenRepairs[] = "SELECT ticket_id::text, place_key, transformer_area, " HOTLINE_PG_MICROS(
    "created_at") " FROM intake.tickets WHERE type = 'repair' AND status IN " OPEN_REPAIR_STATUSES
                  " AND ((place_key <> '' AND place_key = $1) OR "
                  "(transformer_area <> '' AND transformer_area = $2)) AND created_at >= " HOTLINE_PG_TIME(
                      "$3") " ORDER BY created_at, ticket_id";

// One statement for all the names: unnest yields them in their order, and each
// row takes its lock before the next row is read.
constexpr char kLock[] =
    "SELECT count(pg_advisory_xact_lock(hashtextextended(u.name, 0))) "
    "FROM unnest($1::text[]) WITH ORDINALITY AS u(name, n)";

constexpr char kNextCounter[] = "SELECT nextval('intake.ticket_numbers')";

// The ticket and its deadlines in one statement: the kinds ($29) and due
// times ($30, microseconds since the epoch) as parallel arrays, empty when the
// ticket has none (yet).
constexpr char kInsertTicket[] = R"sql(
WITH ticket AS (
  INSERT INTO intake.tickets (ticket_id, ticket_number, idempotency_key, request_digest, type,
    status, channel, create_outcome, customer_name, customer_phone, customer_account, address,
    county, township, area_class, place_key, transformer_area, description, details,
    outage_check, outage_notice_id, outage_restore_at, outage_skipped_reason, linked_ticket_id,
    urgency, created_by, created_at, updated_at, deadlines_pending)
  VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15, $16,
    $17, $18, $19::jsonb, $20, $21, )sql" HOTLINE_PG_TIME("$22") R"sql(, $23, $24::uuid, $25,
    $26, )sql" HOTLINE_PG_TIME("$27") ", " HOTLINE_PG_TIME("$27") R"sql(, $28)
  RETURNING ticket_id)
INSERT INTO intake.ticket_deadlines (ticket_id, kind, due_at)
SELECT ticket.ticket_id, d.kind, timestamptz 'epoch' + d.due * interval '1 microsecond'
FROM ticket, unnest($29::text[], $30::bigint[]) AS d(kind, due))sql";

// A deadline from one of sla's clock events: a new kind is inserted (met
// at $4 when the ticket is already past its stage), a known one takes the
// due time only when the event is newer than the last one applied to it
// (clock_sequence). No row comes back when the event was older.
// The deadline and, when it changed, the ticket's wait for deadlines ended
// ($6 the time), in one statement.
constexpr char kApplyClockDeadline[] =
    "WITH applied AS (INSERT INTO intake.ticket_deadlines AS d "
    "  (ticket_id, kind, due_at, met_at, clock_sequence) "
    "  VALUES ($1::uuid, $2, " HOTLINE_PG_TIME("$3") ", " HOTLINE_PG_TIME("$4") ", $5) "
    "  ON CONFLICT (ticket_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at, "
    "  met_at = COALESCE(d.met_at, EXCLUDED.met_at), clock_sequence = EXCLUDED.clock_sequence "
    "  WHERE d.clock_sequence IS NULL OR d.clock_sequence < EXCLUDED.clock_sequence "
    "  RETURNING kind), "
    "arrived AS (UPDATE intake.tickets SET deadlines_pending = false, updated_at = " HOTLINE_PG_TIME(
        "$6") " WHERE ticket_id = $1::uuid AND EXISTS (SELECT 1 FROM applied)) "
    "SELECT kind FROM applied";

constexpr char kInsertHistory[] =
    "INSERT INTO intake.ticket_history (ticket_id, at, actor, actor_role, action, from_status, "
    "to_status, detail) VALUES ($1::uuid, " HOTLINE_PG_TIME(
        "$2") ", $3, $4, $5, $6, $7, $8) RETURNING entry_id";

// The records as parallel arrays; times in microseconds since the epoch.
constexpr char kInsertHistories[] =
    "INSERT INTO intake.ticket_history (ticket_id, at, actor, actor_role, action, from_status, "
    "to_status, detail) SELECT h.ticket_id, timestamptz 'epoch' + h.at * interval '1 microsecond', "
    "h.actor, h.actor_role, h.action, h.from_status, h.to_status, h.detail FROM unnest($1::uuid[], "
    "$2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH "
    "ORDINALITY AS h(ticket_id, at, actor, actor_role, action, from_status, to_status, detail, n) "
    "ORDER BY h.n";

constexpr char kSelectHistory[] =
    "SELECT entry_id, " HOTLINE_PG_MICROS("at")
    ", actor, actor_role, action, from_status, to_status, detail FROM intake.ticket_history "
    "WHERE ticket_id = $1::uuid AND entry_id > $2 ORDER BY entry_id LIMIT $3";

constexpr char kSetStatus[] =
    "UPDATE intake.tickets SET status = $2, updated_at = " HOTLINE_PG_TIME(
        "$3") " WHERE ticket_id = $1::uuid";
constexpr char kSetStatuses[] =
    "UPDATE intake.tickets SET status = $2, updated_at = " HOTLINE_PG_TIME(
        "$3") " WHERE ticket_id = ANY($1::uuid[])";
constexpr char kMeetDeadlinesOfMany[] =
    "UPDATE intake.ticket_deadlines SET met_at = " HOTLINE_PG_TIME(
        "$3") " WHERE ticket_id = ANY($1::uuid[]) AND met_at IS NULL AND kind = ANY($2::text[])";
// The partial index tickets_linked_to_outage (0008) serves it.
constexpr char kLockLinkedToOutage[] =
    "SELECT ticket_id::text, ticket_number, address::text FROM intake.tickets "
    "WHERE status = 'linked_to_outage' AND outage_notice_id = $1 ORDER BY ticket_id FOR UPDATE";
constexpr char kMeetDeadlines[] = "UPDATE intake.ticket_deadlines SET met_at = " HOTLINE_PG_TIME(
    "$3") " WHERE ticket_id = $1::uuid AND met_at IS NULL AND kind = ANY($2::text[])";
constexpr char kSetUrgings[] =
    "UPDATE intake.tickets SET urgings = $2, urgency = $3, updated_at = " HOTLINE_PG_TIME(
        "$4") " WHERE ticket_id = $1::uuid";
constexpr char kSetCancelReason[] =
    "UPDATE intake.tickets SET cancel_reason = $2, updated_at = " HOTLINE_PG_TIME(
        "$3") " WHERE ticket_id = $1::uuid";
// Empty texts and NULL times keep what is stored.
constexpr char kSetOrderFacts[] =
    "UPDATE intake.tickets SET "
    "branch_id = CASE WHEN $2 = '' THEN branch_id ELSE $2 END, "
    "order_id = CASE WHEN $3 = '' THEN order_id ELSE $3 END, "
    "order_number = CASE WHEN $4 = '' THEN order_number ELSE $4 END, "
    "estimated_restore_at = COALESCE(" HOTLINE_PG_TIME("$5") ", estimated_restore_at), "
    "last_order_event_at = GREATEST(last_order_event_at, " HOTLINE_PG_TIME("$6") "), "
    "last_order_event_sequence = CASE WHEN $8::bigint = 0 THEN last_order_event_sequence "
    "ELSE GREATEST(last_order_event_sequence, $8::bigint) END, "
    "status = COALESCE(NULLIF($9, ''), status), "
    "updated_at = " HOTLINE_PG_TIME("$7") " WHERE ticket_id = $1::uuid";

constexpr char kSetCallbackSequence[] =
    "UPDATE intake.tickets SET last_callback_event_sequence = "
    "GREATEST(last_callback_event_sequence, $2::bigint), updated_at = " HOTLINE_PG_TIME(
        "$3") " WHERE ticket_id = $1::uuid";

#undef SELECT_TICKET
#undef OVERDUE
#undef OPEN_REPAIR_STATUSES
#undef OPEN_STATUSES

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) {
    return "{}";
  }
  return out;
}

absl::Status FromJson(const std::string& json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("stored ", message->GetTypeName(), " is not valid: ", status.ToString()));
  }
  return absl::OkStatus();
}

template <typename E>
E Enum(const pqxx::field& field) {
  return ParseEnumText<E>(field.as<std::string>()).value_or(static_cast<E>(0));
}

absl::StatusOr<StoredTicket> RowToTicket(const pqxx::row& row) {
  StoredTicket stored;
  v1::Ticket& t = stored.ticket;
  int i = 0;
  t.set_ticket_id(row[i++].as<std::string>());
  t.set_ticket_number(row[i++].as<std::string>());
  t.set_type(Enum<common::v1::TicketType>(row[i++]));
  t.set_status(Enum<TicketStatus>(row[i++]));
  t.set_channel(Enum<common::v1::Channel>(row[i++]));
  stored.outcome = Enum<v1::CreateOutcome>(row[i++]);
  t.mutable_customer()->set_name(row[i++].as<std::string>());
  t.mutable_customer()->set_phone(row[i++].as<std::string>());
  t.mutable_customer()->set_account_number(row[i++].as<std::string>());
  if (absl::Status s = FromJson(row[i++].as<std::string>(), t.mutable_address()); !s.ok()) {
    return s;
  }
  t.set_description(row[i++].as<std::string>());
  if (absl::Status s = FromJson(row[i++].as<std::string>(), t.mutable_details()); !s.ok()) {
    return s;
  }
  v1::OutageLink& outage = *t.mutable_outage();
  outage.set_check(Enum<v1::OutageCheck>(row[i++]));
  outage.set_notice_id(row[i++].as<std::string>());
  if (auto restore = pg::TimeOf(row[i++])) {
    *outage.mutable_restore_at() = ToProtoTime(*restore);
  }
  outage.set_skipped_reason(row[i++].as<std::string>());
  if (outage.check() == v1::OUTAGE_CHECK_UNSPECIFIED) {
    t.clear_outage();
  }
  t.set_linked_ticket_id(row[i++].as<std::string>());
  t.set_linked_ticket_number(row[i++].as<std::string>());
  t.set_urgings(row[i++].as<int>());
  t.set_urgency(row[i++].as<int>());
  t.set_branch_id(row[i++].as<std::string>());
  t.set_order_id(row[i++].as<std::string>());
  t.set_order_number(row[i++].as<std::string>());
  if (auto restore = pg::TimeOf(row[i++])) {
    *t.mutable_estimated_restore_at() = ToProtoTime(*restore);
  }
  stored.last_order_event_at = pg::TimeOf(row[i++]);
  if (!row[i].is_null()) {
    stored.last_order_event_sequence = row[i].as<int64_t>();
  }
  ++i;
  t.set_cancel_reason(row[i++].as<std::string>());
  t.set_created_by(row[i++].as<std::string>());
  *t.mutable_created_at() = ToProtoTime(pg::RequiredTimeOf(row[i++]));
  *t.mutable_updated_at() = ToProtoTime(pg::RequiredTimeOf(row[i++]));
  stored.request_digest = row[i++].as<std::string>();
  t.set_overdue(row[i++].as<bool>());
  t.set_deadlines_pending(row[i++].as<bool>());
  if (!row[i].is_null()) {
    stored.last_callback_event_sequence = row[i].as<int64_t>();
  }
  ++i;
  if (!row[i].is_null()) {
    for (absl::string_view text : absl::StrSplit(row[i].as<std::string>(), ',')) {
      std::vector<absl::string_view> parts = absl::StrSplit(text, ' ');
      int64_t due = 0;
      int64_t met = 0;
      if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &due) ||
          (!parts[2].empty() && !absl::SimpleAtoi(parts[2], &met))) {
        return absl::DataLossError(
            absl::StrCat("ticket ", t.ticket_id(), ": deadline '", text, "' is unreadable"));
      }
      v1::Deadline* deadline = t.add_deadlines();
      deadline->set_kind(
          ParseEnumText<v1::DeadlineKind>(parts[0]).value_or(v1::DEADLINE_KIND_UNSPECIFIED));
      *deadline->mutable_due_at() = ToProtoTime(absl::FromUnixMicros(due));
      if (!parts[2].empty()) {
        *deadline->mutable_met_at() = ToProtoTime(absl::FromUnixMicros(met));
      }
    }
  }
  ++i;
  return stored;
}

// The enum texts as a text[] parameter; nullopt (NULL: no filter) for none.
template <typename E>
std::optional<std::string> EnumArray(const std::vector<E>& values) {
  if (values.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> texts;
  for (E value : values) {
    texts.push_back(EnumText(value));
  }
  return pg::TextArray(texts);
}

const char* OrNull(const std::optional<std::string>& value) {
  return value.has_value() ? value->c_str() : nullptr;
}

// Reads the tickets of `result`, deadlines included.
absl::StatusOr<std::vector<StoredTicket>> ReadTickets(const pqxx::result& result) {
  std::vector<StoredTicket> tickets;
  for (const pqxx::row& row : result) {
    absl::StatusOr<StoredTicket> ticket = RowToTicket(row);
    if (!ticket.ok()) {
      return ticket.status();
    }
    tickets.push_back(std::move(*ticket));
  }
  return tickets;
}

absl::StatusOr<std::optional<StoredTicket>> FindOne(pqxx::transaction_base& tx, const char* sql,
                                                    const std::string& value, absl::Time now) {
  return pg::Guarded("read a ticket", [&]() -> absl::StatusOr<std::optional<StoredTicket>> {
    pqxx::result result = pg::Exec(tx, sql, pg::MicrosParam(now), value);
    absl::StatusOr<std::vector<StoredTicket>> tickets = ReadTickets(result);
    if (!tickets.ok()) {
      return tickets.status();
    }
    if (tickets->empty()) {
      return std::nullopt;
    }
    return std::move(tickets->front());
  });
}

}  // namespace

absl::Status LockNames(pqxx::work& tx, const std::vector<std::string>& names) {
  return pg::Guarded("take a lock", [&]() -> absl::Status {
    if (!names.empty()) {
      pg::Exec1(tx, kLock, pg::TextArray(names));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> KeyUsed(pqxx::transaction_base& tx, const std::string& key) {
  return pg::Guarded("look for an idempotency key", [&]() -> absl::StatusOr<bool> {
    return pg::Exec1(tx, kKeyUsed, key)[0].as<bool>();
  });
}

absl::StatusOr<std::optional<StoredTicket>> FindByKey(pqxx::transaction_base& tx,
                                                      const std::string& key, absl::Time now) {
  return FindOne(tx, kFindByKey, key, now);
}

absl::StatusOr<std::optional<StoredTicket>> FindById(pqxx::work& tx, const std::string& ticket_id,
                                                     absl::Time now, bool for_update) {
  return FindOne(tx, for_update ? kFindByIdForUpdate : kFindById, ticket_id, now);
}

absl::StatusOr<std::optional<StoredTicket>> FindByNumber(pqxx::work& tx,
                                                         const std::string& ticket_number,
                                                         absl::Time now) {
  return FindOne(tx, kFindByNumber, ticket_number, now);
}

absl::StatusOr<std::vector<OpenRepair>> FindOpenRepairs(pqxx::work& tx, const RepairPlace& place,
                                                        absl::Time since) {
  return pg::Guarded("find open repairs", [&]() -> absl::StatusOr<std::vector<OpenRepair>> {
    std::vector<OpenRepair> out;
    pqxx::result result = pg::Exec(tx, kFindOpenRepairs, place.place_key, place.transformer_area,
                                   pg::MicrosParam(since));
    for (const pqxx::row& row : result) {
      OpenRepair repair;
      repair.ticket_id = row[0].as<std::string>();
      repair.place_key = row[1].as<std::string>();
      repair.transformer_area = row[2].as<std::string>();
      repair.created_at = pg::RequiredTimeOf(row[3]);
      out.push_back(std::move(repair));
    }
    return out;
  });
}

absl::StatusOr<std::string> NextTicketNumber(pqxx::work& tx, absl::string_view prefix,
                                             absl::CivilDay day) {
  return pg::Guarded("number a ticket", [&]() -> absl::StatusOr<std::string> {
    return FormatTicketNumber(prefix, day, pg::Exec1(tx, kNextCounter)[0].as<int64_t>());
  });
}

absl::Status InsertTicket(pqxx::work& tx, const NewTicket& n,
                          const std::vector<TicketDeadline>& deadlines) {
  return pg::Guarded("store a ticket", [&]() -> absl::Status {
    const v1::Ticket& t = n.ticket;
    const v1::OutageLink& outage = t.outage();
    std::optional<absl::Time> restore_at;
    if (outage.has_restore_at()) {
      restore_at = FromProtoTime(outage.restore_at());
    }
    std::optional<std::string> linked;
    if (!t.linked_ticket_id().empty()) {
      linked = t.linked_ticket_id();
    }
    std::vector<std::string> kinds;
    std::vector<int64_t> dues;
    for (const TicketDeadline& deadline : deadlines) {
      kinds.push_back(EnumText(deadline.kind));
      dues.push_back(absl::ToUnixMicros(deadline.due_at));
    }
    pg::Exec0(tx, kInsertTicket, t.ticket_id(), t.ticket_number(), n.idempotency_key,
              n.request_digest, EnumText(t.type()), EnumText(t.status()), EnumText(t.channel()),
              EnumText(n.outcome), t.customer().name(), t.customer().phone(),
              t.customer().account_number(), ToJson(t.address()), t.address().county(),
              t.address().township(), EnumText(t.address().area_class()), n.place.place_key,
              n.place.transformer_area, t.description(), ToJson(t.details()),
              EnumText(outage.check()), outage.notice_id(), pg::MicrosParam(restore_at),
              outage.skipped_reason(), OrNull(linked), t.urgency(), t.created_by(),
              pg::MicrosParam(FromProtoTime(t.created_at())), t.deadlines_pending(),
              pg::TextArray(kinds), pg::NumberArray(dues));
    return absl::OkStatus();
  });
}

StoredTicket AsInserted(const NewTicket& n, const std::vector<TicketDeadline>& deadlines) {
  StoredTicket stored;
  stored.ticket = n.ticket;
  stored.request_digest = n.request_digest;
  stored.outcome = n.outcome;
  v1::Ticket& t = stored.ticket;
  // Only what the columns hold comes back from a read: no unknown fields (the
  // JSON columns drop them), times in whole microseconds.
  t.DiscardUnknownFields();
  *t.mutable_updated_at() = t.created_at();
  if (t.has_outage() && t.outage().check() == v1::OUTAGE_CHECK_UNSPECIFIED) {
    t.clear_outage();  // no column holds it
  }
  if (t.outage().has_restore_at()) {
    *t.mutable_outage()->mutable_restore_at() =
        ToProtoTime(TruncateToMicros(FromProtoTime(t.outage().restore_at())));
  }
  // As DEADLINES orders them.
  std::vector<TicketDeadline> ordered = deadlines;
  std::sort(ordered.begin(), ordered.end(), [](const TicketDeadline& a, const TicketDeadline& b) {
    return std::make_pair(a.due_at, EnumText(a.kind)) < std::make_pair(b.due_at, EnumText(b.kind));
  });
  t.clear_deadlines();
  for (const TicketDeadline& d : ordered) {
    v1::Deadline* deadline = t.add_deadlines();
    deadline->set_kind(d.kind);
    *deadline->mutable_due_at() = ToProtoTime(TruncateToMicros(d.due_at));
    if (d.due_at < FromProtoTime(t.created_at()) && TicketStateMachine::IsOpen(t.status())) {
      t.set_overdue(true);  // OVERDUE as of the create
    }
  }
  return stored;
}

absl::StatusOr<int64_t> AddHistory(pqxx::work& tx, const HistoryRecord& r) {
  return pg::Guarded("record ticket history", [&]() -> absl::StatusOr<int64_t> {
    return pg::Exec1(tx, kInsertHistory, r.ticket_id, pg::MicrosParam(r.at), r.actor, r.actor_role,
                     EnumText(r.action), EnumText(r.from_status), EnumText(r.to_status),
                     r.detail)[0]
        .as<int64_t>();
  });
}

absl::Status AddHistories(pqxx::work& tx, const std::vector<HistoryRecord>& records) {
  if (records.empty()) {
    return absl::OkStatus();
  }
  return pg::Guarded("record ticket history", [&]() -> absl::Status {
    std::vector<std::string> ids, actors, roles, actions, froms, tos, details;
    std::vector<int64_t> ats;
    for (const HistoryRecord& r : records) {
      ids.push_back(r.ticket_id);
      ats.push_back(absl::ToUnixMicros(r.at));
      actors.push_back(r.actor);
      roles.push_back(r.actor_role);
      actions.push_back(EnumText(r.action));
      froms.push_back(EnumText(r.from_status));
      tos.push_back(EnumText(r.to_status));
      details.push_back(r.detail);
    }
    pg::Exec0(tx, kInsertHistories, pg::TextArray(ids), pg::NumberArray(ats), pg::TextArray(actors),
              pg::TextArray(roles), pg::TextArray(actions), pg::TextArray(froms),
              pg::TextArray(tos), pg::TextArray(details));
    return absl::OkStatus();
  });
}

absl::Status SetStatus(pqxx::work& tx, const std::string& ticket_id, TicketStatus status,
                       absl::Time at) {
  return pg::Guarded("change a ticket's status", [&]() -> absl::Status {
    pg::Exec0(tx, kSetStatus, ticket_id, EnumText(status), pg::MicrosParam(at));
    std::optional<std::string> met = EnumArray(DeadlinesMetAt(status));
    if (met.has_value()) {
      pg::Exec0(tx, kMeetDeadlines, ticket_id, *met, pg::MicrosParam(at));
    }
    return absl::OkStatus();
  });
}

absl::Status SetStatuses(pqxx::work& tx, const std::vector<std::string>& ticket_ids,
                         TicketStatus status, absl::Time at) {
  if (ticket_ids.empty()) {
    return absl::OkStatus();
  }
  return pg::Guarded("change tickets' status", [&]() -> absl::Status {
    const std::string ids = pg::TextArray(ticket_ids);
    pg::Exec0(tx, kSetStatuses, ids, EnumText(status), pg::MicrosParam(at));
    std::optional<std::string> met = EnumArray(DeadlinesMetAt(status));
    if (met.has_value()) {
      pg::Exec0(tx, kMeetDeadlinesOfMany, ids, *met, pg::MicrosParam(at));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<OutageLinkedTicket>> LockLinkedToOutage(pqxx::work& tx,
                                                                   const std::string& notice_id) {
  return pg::Guarded("lock the tickets linked to an outage",
                     [&]() -> absl::StatusOr<std::vector<OutageLinkedTicket>> {
                       std::vector<OutageLinkedTicket> linked;
                       for (const pqxx::row& row : pg::Exec(tx, kLockLinkedToOutage, notice_id)) {
                         OutageLinkedTicket ticket;
                         ticket.ticket_id = row[0].as<std::string>();
                         ticket.ticket_number = row[1].as<std::string>();
                         if (absl::Status s = FromJson(row[2].as<std::string>(), &ticket.address);
                             !s.ok()) {
                           return s;
                         }
                         linked.push_back(std::move(ticket));
                       }
                       return linked;
                     });
}

absl::StatusOr<bool> ApplyClockDeadline(pqxx::work& tx, const std::string& ticket_id,
                                        const ClockDeadline& deadline, absl::Time at) {
  return pg::Guarded("apply a deadline from sla", [&]() -> absl::StatusOr<bool> {
    pqxx::result applied =
        pg::Exec(tx, kApplyClockDeadline, ticket_id, EnumText(deadline.kind),
                 pg::MicrosParam(deadline.due_at), pg::MicrosParam(deadline.met_at_if_new),
                 deadline.sequence, pg::MicrosParam(at));
    return !applied.empty();
  });
}

absl::Status SetUrgings(pqxx::work& tx, const std::string& ticket_id, int urgings, int urgency,
                        absl::Time at) {
  return pg::Guarded("urge a ticket", [&]() -> absl::Status {
    pg::Exec0(tx, kSetUrgings, ticket_id, urgings, urgency, pg::MicrosParam(at));
    return absl::OkStatus();
  });
}

absl::Status SetCancelReason(pqxx::work& tx, const std::string& ticket_id,
                             const std::string& reason, absl::Time at) {
  return pg::Guarded("cancel a ticket", [&]() -> absl::Status {
    pg::Exec0(tx, kSetCancelReason, ticket_id, reason, pg::MicrosParam(at));
    return absl::OkStatus();
  });
}

absl::Status SetOrderFacts(pqxx::work& tx, const std::string& ticket_id, const OrderFacts& facts,
                           absl::Time at) {
  return pg::Guarded("record an order event", [&]() -> absl::Status {
    pg::Exec0(tx, kSetOrderFacts, ticket_id, facts.branch_id, facts.order_id, facts.order_number,
              pg::MicrosParam(facts.estimated_restore_at), pg::MicrosParam(facts.occurred_at),
              pg::MicrosParam(at), facts.sequence,
              facts.status.has_value() ? EnumText(*facts.status) : std::string());
    std::optional<std::string> met = EnumArray(facts.deadlines_met);
    if (met.has_value()) {
      pg::Exec0(tx, kMeetDeadlines, ticket_id, *met, pg::MicrosParam(at));
    }
    return absl::OkStatus();
  });
}

absl::Status SetCallbackSequence(pqxx::work& tx, const std::string& ticket_id, int64_t sequence,
                                 absl::Time at) {
  if (sequence <= 0) {
    return absl::OkStatus();
  }
  return pg::Guarded("record a callback event", [&]() -> absl::Status {
    pg::Exec0(tx, kSetCallbackSequence, ticket_id, sequence, pg::MicrosParam(at));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<StoredTicket>> ListTickets(pqxx::work& tx, const TicketFilter& filter,
                                                      const std::optional<PageCursor>& after,
                                                      int limit, absl::Time now) {
  return pg::Guarded("list tickets", [&]() -> absl::StatusOr<std::vector<StoredTicket>> {
    std::optional<absl::Time> after_at;
    std::optional<std::string> after_id;
    if (after.has_value()) {
      after_at = after->created_at;
      after_id = after->ticket_id;
    }
    std::optional<std::string> statuses = EnumArray(filter.statuses);
    std::optional<std::string> types = EnumArray(filter.types);
    pqxx::result result =
        pg::Exec(tx, kListTickets, pg::MicrosParam(now), OrNull(statuses), OrNull(types),
                 filter.branch_id, filter.county, filter.township,
                 pg::MicrosParam(filter.created_from), pg::MicrosParam(filter.created_to),
                 filter.overdue_only, pg::MicrosParam(after_at), OrNull(after_id), limit);
    return ReadTickets(result);
  });
}

absl::StatusOr<std::vector<v1::HistoryEntry>> History(pqxx::work& tx, const std::string& ticket_id,
                                                      int64_t after, int limit) {
  return pg::Guarded("read ticket history", [&]() -> absl::StatusOr<std::vector<v1::HistoryEntry>> {
    std::vector<v1::HistoryEntry> entries;
    for (const pqxx::row& row : pg::Exec(tx, kSelectHistory, ticket_id, after, limit)) {
      v1::HistoryEntry entry;
      entry.set_entry_id(row[0].as<int64_t>());
      *entry.mutable_at() = ToProtoTime(pg::RequiredTimeOf(row[1]));
      entry.set_actor(row[2].as<std::string>());
      entry.set_actor_role(row[3].as<std::string>());
      entry.set_action(Enum<v1::HistoryAction>(row[4]));
      entry.set_from_status(Enum<TicketStatus>(row[5]));
      entry.set_to_status(Enum<TicketStatus>(row[6]));
      entry.set_detail(row[7].as<std::string>());
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

}  // namespace hotline::intake::store
