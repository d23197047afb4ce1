#include "services/dispatch/store/order_store.h"

#include <pqxx/binarystring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::dispatch {
namespace {

// Every column RecordFromRow reads, each under its own name (times as
// microseconds since the epoch, NULL when unset).
const std::string& OrderColumns() {
  static const std::string kColumns = absl::StrCat(
      "order_id, order_number, ticket_id, ticket_number, ticket_type, ticket, work_scope, "
      "paid_service, area_class, status, coalesce(branch_id, '') AS branch_id, urgency, urgings, "
      "returns, advice, route_rule, route_level, route_value, route_reason, ",
      HOTLINE_PG_MICROS("ticket_created_at") " AS ticket_created_at", ", ",
      HOTLINE_PG_MICROS("created_at") " AS created_at", ", ",
      HOTLINE_PG_MICROS("dispatched_at") " AS dispatched_at", ", ",
      HOTLINE_PG_MICROS("arrival_due_at") " AS arrival_due_at", ", ",
      HOTLINE_PG_MICROS("accepted_at") " AS accepted_at", ", ",
      HOTLINE_PG_MICROS("resolved_at") " AS resolved_at", ", ",
      HOTLINE_PG_MICROS("cancelled_at") " AS cancelled_at",
      ", cancel_reason, coalesce(lease_id, '') AS lease_id, "
      "coalesce(lease_puller, '') AS lease_puller, coalesce(lease_position, 0) AS lease_position, ",
      HOTLINE_PG_MICROS("lease_expires_at") " AS lease_expires_at",
      ", deliveries, last_step, crew_lead, crew_phone, ",
      HOTLINE_PG_MICROS("departed_at") " AS departed_at", ", ",
      HOTLINE_PG_MICROS("arrived_at") " AS arrived_at", ", cause, fault_kind, ",
      HOTLINE_PG_MICROS("estimated_restore_at") " AS estimated_restore_at", ", ",
      HOTLINE_PG_MICROS("completed_at") " AS completed_at", ", ",
      HOTLINE_PG_MICROS("power_restored_at") " AS power_restored_at", ", progress_note, seq, ",
      HOTLINE_PG_MICROS("now()"), " AS db_now",
      ", route_excluded, route_candidates, route_decided_by, ",
      HOTLINE_PG_MICROS("route_decided_at") " AS route_decided_at", ", reopens, reopened_reason, ",
      HOTLINE_PG_MICROS("reopened_at") " AS reopened_at");
  return kColumns;
}

// Sets a Timestamp field only when the column had a value: `field` is called
// (creating the field) only then, so a NULL column leaves the field unset.
template <typename MutableField>
void SetTime(MutableField field, std::optional<absl::Time> t) {
  if (t.has_value()) {
    *field() = ToProtoTime(*t);
  }
}

std::vector<std::string> SplitList(const std::string& joined) {
  if (joined.empty()) {
    return {};
  }
  return absl::StrSplit(joined, ',');
}

OrderRecord RecordFromRow(const pqxx::row& row) {
  OrderRecord rec;
  v1::Order& o = rec.order;
  o.set_order_id(row["order_id"].as<std::string>());
  o.set_order_number(row["order_number"].as<std::string>());
  o.set_ticket_id(row["ticket_id"].as<std::string>());
  o.set_ticket_number(row["ticket_number"].as<std::string>());
  o.set_type(ParseEnumText<TicketType>(row["ticket_type"].as<std::string>())
                 .value_or(common::v1::TICKET_TYPE_UNSPECIFIED));
  rec.ticket.ParseFromString(pqxx::binarystring(row["ticket"]).str());
  o.set_work_scope(row["work_scope"].as<std::string>());
  o.set_paid_service(row["paid_service"].as<bool>());
  o.set_status(ParseEnumText<OrderStatus>(row["status"].as<std::string>())
                   .value_or(v1::ORDER_STATUS_UNSPECIFIED));
  o.set_with_dispatcher(o.status() == v1::ORDER_STATUS_WITH_DISPATCHER);
  o.set_branch_id(row["branch_id"].as<std::string>());
  o.set_urgency(row["urgency"].as<int>());
  o.set_urgings(row["urgings"].as<int>());
  o.set_returns(row["returns"].as<int>());
  o.set_advice(row["advice"].as<std::string>());
  v1::RoutingDecision* routing = o.mutable_routing();
  routing->set_branch_id(o.branch_id());
  routing->set_with_dispatcher(o.with_dispatcher());
  routing->set_rule(row["route_rule"].as<std::string>());
  routing->set_matched_level(ParseEnumText<TerritoryLevel>(row["route_level"].as<std::string>())
                                 .value_or(v1::TERRITORY_LEVEL_UNSPECIFIED));
  routing->set_matched_value(row["route_value"].as<std::string>());
  routing->set_reason(row["route_reason"].as<std::string>());
  routing->set_work_scope(o.work_scope());
  SetTime([&] { return o.mutable_ticket_created_at(); }, pg::TimeOf(row["ticket_created_at"]));
  SetTime([&] { return o.mutable_created_at(); }, pg::TimeOf(row["created_at"]));
  SetTime([&] { return o.mutable_dispatched_at(); }, pg::TimeOf(row["dispatched_at"]));
  SetTime([&] { return o.mutable_arrival_due_at(); }, pg::TimeOf(row["arrival_due_at"]));
  SetTime([&] { return o.mutable_accepted_at(); }, pg::TimeOf(row["accepted_at"]));
  SetTime([&] { return o.mutable_resolved_at(); }, pg::TimeOf(row["resolved_at"]));
  SetTime([&] { return o.mutable_cancelled_at(); }, pg::TimeOf(row["cancelled_at"]));
  o.set_cancel_reason(row["cancel_reason"].as<std::string>());
  rec.lease_id = row["lease_id"].as<std::string>();
  rec.lease_puller = row["lease_puller"].as<std::string>();
  rec.lease_position = row["lease_position"].as<int64_t>();
  rec.lease_expires_at = pg::TimeOf(row["lease_expires_at"]);
  rec.deliveries = row["deliveries"].as<int>();
  v1::Progress* p = o.mutable_progress();
  p->set_last_step(ParseEnumText<ProgressStep>(row["last_step"].as<std::string>())
                       .value_or(v1::PROGRESS_STEP_UNSPECIFIED));
  p->set_crew_lead(row["crew_lead"].as<std::string>());
  p->set_crew_phone(row["crew_phone"].as<std::string>());
  SetTime([&] { return p->mutable_departed_at(); }, pg::TimeOf(row["departed_at"]));
  SetTime([&] { return p->mutable_arrived_at(); }, pg::TimeOf(row["arrived_at"]));
  p->set_cause(row["cause"].as<std::string>());
  p->set_fault_kind(ParseEnumText<FaultKind>(row["fault_kind"].as<std::string>())
                        .value_or(v1::FAULT_KIND_UNSPECIFIED));
  SetTime([&] { return p->mutable_estimated_restore_at(); },
          pg::TimeOf(row["estimated_restore_at"]));
  SetTime([&] { return p->mutable_completed_at(); }, pg::TimeOf(row["completed_at"]));
  SetTime([&] { return p->mutable_power_restored_at(); }, pg::TimeOf(row["power_restored_at"]));
  p->set_note(row["progress_note"].as<std::string>());
  rec.seq = row["seq"].as<int64_t>();
  rec.db_now = pg::TimeOf(row["db_now"]).value_or(absl::InfinitePast());  // now(): never NULL
  for (const std::string& id : SplitList(row["route_excluded"].as<std::string>())) {
    routing->add_excluded_branch_ids(id);
  }
  routing->set_candidates(row["route_candidates"].as<int>());
  routing->set_decided_by(row["route_decided_by"].as<std::string>());
  SetTime([&] { return routing->mutable_decided_at(); }, pg::TimeOf(row["route_decided_at"]));
  o.set_reopens(row["reopens"].as<int>());
  o.set_reopened_reason(row["reopened_reason"].as<std::string>());
  SetTime([&] { return o.mutable_reopened_at(); }, pg::TimeOf(row["reopened_at"]));

  // What the ticket says, for the branch.
  const intake::v1::TicketCreated& t = rec.ticket;
  *o.mutable_address() = t.address();
  *o.mutable_customer() = t.customer();
  o.set_description(t.description());
  o.set_channel(t.channel());
  o.set_equipment_owner(t.equipment_owner());
  o.set_complaint_category(t.complaint_category());
  o.set_report_subject(t.report_subject());
  o.set_application_kind(t.application_kind());
  return rec;
}

// The order and its first routing record, in one statement: the route's row
// is made from the order's as inserted, and the order comes back with every
// column RecordFromRow reads. No row when the ticket already has an order.
const std::string& InsertOrderSql() {
  static const std::string kSql = absl::StrCat(
      "WITH o AS ("
      "  INSERT INTO dispatch.orders (order_id, order_number, ticket_id, ticket_number, "
      "    ticket_type, ticket, work_scope, paid_service, area_class, status, branch_id, urgency, "
      "    urgings, advice, route_rule, route_level, route_value, route_reason, route_excluded, "
      "    route_candidates, ticket_created_at, dispatched_at, arrival_due_at, cancelled_at, "
      "    cancel_reason) "
      "  VALUES ($1, dispatch.next_order_number($2), $3, $4, $5, $6, $7, $8, "
      "    $9, $10, NULLIF($11, ''), $12, $13, $14, $15, $16, $17, $18, $19, $20, ",
      HOTLINE_PG_TIME("$21"),
      ", CASE WHEN $10 = 'dispatched' THEN now() END, "
      "    CASE WHEN $22::int > 0 THEN now() + $22::int * interval '1 minute' END, ",
      HOTLINE_PG_TIME("$23"),
      ", $24) "
      "  ON CONFLICT (ticket_id) DO NOTHING "
      "  RETURNING *), "
      "route AS ("
      "  INSERT INTO dispatch.order_routes (order_id, branch_id, rule, level, value, work_scope, "
      "    excluded, candidates, reason, decided_by) "
      "  SELECT order_id, branch_id, route_rule, route_level, route_value, work_scope, "
      "    route_excluded, route_candidates, route_reason, 'routing' FROM o) "
      "SELECT ",
      OrderColumns(), " FROM o");
  return kSql;
}

constexpr char kInsertRoute[] =
    "INSERT INTO dispatch.order_routes (order_id, branch_id, rule, level, value, work_scope, "
    "excluded, "
    "  candidates, reason, decided_by) "
    "VALUES ($1, NULLIF($2, ''), $3, $4, $5, $6, $7, $8, $9, $10)";

constexpr char kMoveOrder[] =
    "UPDATE dispatch.orders SET status = $2, branch_id = NULLIF($3, ''), route_rule = $4, "
    "  route_level = $5, route_value = $6, route_reason = $7, route_excluded = $8, "
    "  route_candidates = $9, route_decided_by = $10, route_decided_at = now(), "
    "  paid_service = $11, "
    "  dispatched_at = CASE WHEN $2 = 'dispatched' THEN now() END, "
    "  arrival_due_at = CASE WHEN $12::int > 0 THEN now() + $12::int * interval '1 minute' END, "
    "  accepted_at = NULL, lease_id = NULL, lease_puller = NULL, lease_position = NULL, "
    "  lease_expires_at = NULL, deliveries = 0, last_step = '', crew_lead = '', crew_phone = '', "
    "  departed_at = NULL, arrived_at = NULL, cause = '', fault_kind = '', "
    "  estimated_restore_at = NULL, completed_at = NULL, power_restored_at = NULL, "
    "  progress_note = '', advice = '', updated_at = now() "
    "WHERE order_id = $1";

constexpr char kAcceptOrder[] =
    "UPDATE dispatch.orders SET status = 'accepted', accepted_at = now(), updated_at = now() "
    "WHERE order_id = $1 AND branch_id = $2 AND status = 'dispatched' AND lease_id = $3 "
    "  AND lease_expires_at > now()";

const std::string& SaveProgressSql() {
  static const std::string kSql = absl::StrCat(
      "UPDATE dispatch.orders SET status = $2, last_step = $3, crew_lead = $4, crew_phone = $5, "
      "  departed_at = ",
      HOTLINE_PG_TIME("$6"), ", arrived_at = ", HOTLINE_PG_TIME("$7"),
      ", cause = $8, fault_kind = $9, estimated_restore_at = ", HOTLINE_PG_TIME("$10"),
      ", completed_at = ", HOTLINE_PG_TIME("$11"), ", power_restored_at = ", HOTLINE_PG_TIME("$12"),
      ", progress_note = $13, "
      "  resolved_at = CASE WHEN $2 = 'resolved' THEN coalesce(resolved_at, now()) END, "
      "  updated_at = now() "
      "WHERE order_id = $1");
  return kSql;
}

const std::string& InsertProgressSql() {
  static const std::string kSql = absl::StrCat(
      "INSERT INTO dispatch.order_progress (order_id, branch_id, step, step_at, details) "
      "VALUES ($1, $2, $3, ",
      HOTLINE_PG_TIME("$4"), ", $5)");
  return kSql;
}

constexpr char kInsertReturn[] =
    "INSERT INTO dispatch.order_returns (order_id, branch_id, reason, belongs_to, customer_name, "
    "  customer_phone, note, idempotency_key) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, ''))";
constexpr char kCountReturn[] =
    "UPDATE dispatch.orders SET returns = returns + 1, updated_at = now() WHERE order_id = $1";
constexpr char kReturnedBy[] =
    "SELECT branch_id FROM dispatch.order_returns WHERE order_id = $1 "
    "GROUP BY branch_id ORDER BY min(position)";
constexpr char kReturnKeyUsed[] =
    "SELECT 1 FROM dispatch.order_returns WHERE order_id = $1 AND branch_id = $2 AND "
    "idempotency_key = $3";

constexpr char kSaveUrging[] =
    "INSERT INTO dispatch.ticket_updates (ticket_id, urgency, urgings) VALUES ($1, $2, $3) "
    "ON CONFLICT (ticket_id) DO UPDATE SET "
    "  urgency = GREATEST(ticket_updates.urgency, EXCLUDED.urgency), "
    "  urgings = GREATEST(ticket_updates.urgings, EXCLUDED.urgings)";
const std::string& SaveCancellationSql() {
  static const std::string kSql = absl::StrCat(
      "INSERT INTO dispatch.ticket_updates (ticket_id, cancelled_at, cancel_reason) VALUES ($1, ",
      HOTLINE_PG_TIME("$2"),
      ", $3) ON CONFLICT (ticket_id) DO UPDATE SET "
      "  cancelled_at = coalesce(ticket_updates.cancelled_at, EXCLUDED.cancelled_at), "
      "  cancel_reason = CASE WHEN ticket_updates.cancelled_at IS NULL "
      "    THEN EXCLUDED.cancel_reason ELSE ticket_updates.cancel_reason END");
  return kSql;
}
constexpr char kLockTicket[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.dispatch.ticket:' || $1, 0))";
constexpr char kRaiseUrgency[] =
    "UPDATE dispatch.orders SET urgency = GREATEST(urgency, $2), urgings = GREATEST(urgings, $3), "
    "  updated_at = now() WHERE order_id = $1";
constexpr char kCancelOrder[] =
    "UPDATE dispatch.orders SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2, "
    "  lease_id = NULL, lease_puller = NULL, lease_position = NULL, lease_expires_at = NULL, "
    "  updated_at = now() "
    "WHERE order_id = $1 AND status IN ('dispatched', 'with_dispatcher', 'accepted', "
    "  'in_progress')";

// resolved -> dispatched, only from resolved: back to the branch that
// resolved the order, as a fresh dispatch there (lease, acceptance and the
// progress state cleared, so the branch acknowledges and reports anew). The
// steps reported before stay in order_progress, followed by the reopening.
constexpr char kReopenOrder[] =
    "UPDATE dispatch.orders SET status = 'dispatched', route_rule = 'reopened_by_callback', "
    "  route_reason = $3, route_decided_by = 'survey', route_decided_at = now(), "
    "  dispatched_at = now(), "
    "  arrival_due_at = CASE WHEN $4::int > 0 THEN now() + $4::int * interval '1 minute' END, "
    "  accepted_at = NULL, resolved_at = NULL, lease_id = NULL, lease_puller = NULL, "
    "  lease_position = NULL, lease_expires_at = NULL, deliveries = 0, last_step = '', "
    "  crew_lead = '', crew_phone = '', departed_at = NULL, arrived_at = NULL, cause = '', "
    "  fault_kind = '', estimated_restore_at = NULL, completed_at = NULL, "
    "  power_restored_at = NULL, progress_note = '', reopens = reopens + 1, "
    "  reopened_reason = $2, reopened_at = now(), updated_at = now() "
    "WHERE order_id = $1 AND status = 'resolved' AND branch_id IS NOT NULL";
constexpr char kRecordReopenRoute[] =
    "INSERT INTO dispatch.order_routes (order_id, branch_id, rule, level, value, work_scope, "
    "  excluded, candidates, reason, decided_by) "
    "SELECT order_id, branch_id, route_rule, route_level, route_value, work_scope, "
    "  route_excluded, route_candidates, route_reason, route_decided_by "
    "FROM dispatch.orders WHERE order_id = $1";
constexpr char kRecordReopenProgress[] =
    "INSERT INTO dispatch.order_progress (order_id, branch_id, step, step_at, details) "
    "SELECT order_id, branch_id, 'reopened', now(), reopened_reason "
    "FROM dispatch.orders WHERE order_id = $1";

std::string Describe(const ProgressReport& r) {
  std::vector<std::string> parts;
  if (!r.crew_lead.empty()) {
    parts.push_back(absl::StrCat("crew ", r.crew_lead, " ", r.crew_phone));
  }
  if (!r.cause.empty()) {
    parts.push_back(absl::StrCat("cause ", r.cause, " (", EnumText(r.fault_kind), ")"));
  }
  if (r.estimated_restore_at.has_value()) {
    parts.push_back(absl::StrCat("estimated restore ",
                                 absl::FormatTime(*r.estimated_restore_at, absl::UTCTimeZone())));
  }
  if (!r.note.empty()) {
    parts.push_back(r.note);
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

absl::Status LockTicket(pqxx::work& tx, const std::string& ticket_id) {
  return pg::Guarded("locking a ticket", [&]() -> absl::Status {
    pg::Exec(tx, kLockTicket, ticket_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<OrderRecord>> FindOrderOfTicket(pqxx::work& tx,
                                                             const std::string& ticket_id) {
  return pg::Guarded(
      "finding the order of a ticket", [&]() -> absl::StatusOr<std::optional<OrderRecord>> {
        pqxx::result r = pg::Exec(
            tx,
            absl::StrCat("SELECT ", OrderColumns(), " FROM dispatch.orders WHERE ticket_id = $1"),
            ticket_id);
        if (r.empty()) {
          return std::optional<OrderRecord>();
        }
        return std::optional<OrderRecord>(RecordFromRow(r[0]));
      });
}

absl::StatusOr<OrderRecord> LoadOrder(pqxx::work& tx, const std::string& order_id, bool lock) {
  return pg::Guarded("loading order", [&]() -> absl::StatusOr<OrderRecord> {
    pqxx::result r = pg::Exec(
        tx,
        absl::StrCat("SELECT ", OrderColumns(), " FROM dispatch.orders WHERE order_id = $1",
                     lock ? " FOR UPDATE" : ""),
        order_id);
    if (r.empty()) {
      return absl::NotFoundError(absl::StrCat("order '", order_id, "' not found"));
    }
    return RecordFromRow(r[0]);
  });
}

absl::Status LoadOrderHistory(pqxx::work& tx, v1::Order& order) {
  return pg::Guarded("loading order history", [&]() -> absl::Status {
    pqxx::result routes = pg::Exec(
        tx,
        absl::StrCat("SELECT coalesce(branch_id, ''), rule, level, value, work_scope, excluded, "
                     "candidates, reason, decided_by, ",
                     HOTLINE_PG_MICROS("decided_at"),
                     " FROM dispatch.order_routes WHERE order_id = $1 ORDER BY position"),
        order.order_id());
    for (const pqxx::row& row : routes) {
      v1::RoutingDecision* d = order.add_route_history();
      d->set_branch_id(row[0].as<std::string>());
      d->set_rule(row[1].as<std::string>());
      d->set_with_dispatcher(d->branch_id().empty() && d->rule() != "customer_owned");
      d->set_matched_level(ParseEnumText<TerritoryLevel>(row[2].as<std::string>())
                               .value_or(v1::TERRITORY_LEVEL_UNSPECIFIED));
      d->set_matched_value(row[3].as<std::string>());
      d->set_work_scope(row[4].as<std::string>());
      for (const std::string& id : SplitList(row[5].as<std::string>())) {
        d->add_excluded_branch_ids(id);
      }
      d->set_candidates(row[6].as<int>());
      d->set_reason(row[7].as<std::string>());
      d->set_decided_by(row[8].as<std::string>());
      SetTime([&] { return d->mutable_decided_at(); }, pg::TimeOf(row[9]));
    }
    pqxx::result returns = pg::Exec(
        tx,
        absl::StrCat("SELECT branch_id, reason, belongs_to, customer_name, customer_phone, note, ",
                     HOTLINE_PG_MICROS("returned_at"),
                     " FROM dispatch.order_returns WHERE order_id = $1 ORDER BY position"),
        order.order_id());
    for (const pqxx::row& row : returns) {
      v1::ReturnRecord* r = order.add_return_history();
      r->set_branch_id(row[0].as<std::string>());
      r->set_reason(ParseEnumText<ReturnReason>(row[1].as<std::string>())
                        .value_or(v1::RETURN_REASON_UNSPECIFIED));
      r->set_belongs_to(row[2].as<std::string>());
      r->set_customer_name(row[3].as<std::string>());
      r->set_customer_phone(row[4].as<std::string>());
      r->set_note(row[5].as<std::string>());
      SetTime([&] { return r->mutable_returned_at(); }, pg::TimeOf(row[6]));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<OrderRecord>> ListOrders(pqxx::work& tx, const OrderFilter& filter,
                                                    int64_t after, int limit) {
  return pg::Guarded("listing orders", [&]() -> absl::StatusOr<std::vector<OrderRecord>> {
    pqxx::result r = pg::Exec(
        tx,
        absl::StrCat("SELECT ", OrderColumns(),
                     " FROM dispatch.orders WHERE seq > $1 AND ($2 = '' OR branch_id = $2) "
                     "AND ($3 = '' OR status = $3) AND ($4 = '' OR ticket_id = $4) "
                     "AND (NOT $5::boolean OR status = 'with_dispatcher') "
                     "ORDER BY seq LIMIT $6"),
        after, filter.branch_id, EnumText(filter.status), filter.ticket_id, filter.with_dispatcher,
        limit);
    std::vector<OrderRecord> records;
    for (const pqxx::row& row : r) {
      records.push_back(RecordFromRow(row));
    }
    return records;
  });
}

absl::StatusOr<std::optional<OrderRecord>> InsertOrder(pqxx::work& tx, const NewOrder& n) {
  return pg::Guarded("inserting order", [&]() -> absl::StatusOr<std::optional<OrderRecord>> {
    const intake::v1::TicketCreated& t = n.ticket;
    std::optional<absl::Time> created_at;
    if (t.has_created_at()) {
      created_at = TruncateToMicros(FromProtoTime(t.created_at()));
    }
    pqxx::result r = pg::Exec(
        tx, InsertOrderSql(), n.order_id, n.number_prefix, t.ticket_id(), t.ticket_number(),
        EnumText(t.type()), pqxx::binarystring(t.SerializeAsString()), n.route.work_scope,
        n.route.paid_service, EnumText(t.address().area_class()), EnumText(n.status),
        n.route.branch_id, n.urgency, n.urgings, n.route.advice, n.route.rule,
        EnumText(n.route.matched_level), n.route.matched_value, n.route.reason,
        absl::StrJoin(n.route.excluded, ","), n.route.candidates, pg::MicrosParam(created_at),
        n.arrival_limit_minutes, pg::MicrosParam(n.cancelled_at), n.cancel_reason);
    if (r.empty()) {
      return std::optional<OrderRecord>();
    }
    return std::optional<OrderRecord>(RecordFromRow(r[0]));
  });
}

absl::Status MoveOrder(pqxx::work& tx, const std::string& order_id, const Route& route,
                       const std::string& decided_by, int arrival_limit_minutes) {
  return pg::Guarded("moving order", [&]() -> absl::Status {
    const bool to_branch = route.destination == Destination::kBranch;
    pg::Exec0(tx, kMoveOrder, order_id, to_branch ? "dispatched" : "with_dispatcher",
              to_branch ? route.branch_id : "", route.rule, EnumText(route.matched_level),
              route.matched_value, route.reason, absl::StrJoin(route.excluded, ","),
              route.candidates, decided_by, route.paid_service,
              to_branch ? arrival_limit_minutes : 0);
    pg::Exec0(tx, kInsertRoute, order_id, to_branch ? route.branch_id : "", route.rule,
              EnumText(route.matched_level), route.matched_value, route.work_scope,
              absl::StrJoin(route.excluded, ","), route.candidates, route.reason, decided_by);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> ReopenOrder(pqxx::work& tx, const std::string& order_id,
                                 const std::string& reason, int arrival_limit_minutes) {
  return pg::Guarded("sending an order back to its branch", [&]() -> absl::StatusOr<bool> {
    pqxx::result r = pg::Exec(tx, kReopenOrder, order_id, reason,
                              absl::StrCat("sent back to the branch that resolved it: ", reason),
                              arrival_limit_minutes);
    if (r.affected_rows() == 0) {
      return false;
    }
    pg::Exec0(tx, kRecordReopenRoute, order_id);
    pg::Exec0(tx, kRecordReopenProgress, order_id);
    return true;
  });
}

absl::Status RecordReturn(pqxx::work& tx, const std::string& order_id, const std::string& branch_id,
                          const ReturnRequest& request) {
  return pg::Guarded("recording a return", [&]() -> absl::Status {
    pg::Exec0(tx, kInsertReturn, order_id, branch_id, EnumText(request.reason), request.belongs_to,
              request.customer_name, request.customer_phone, request.note, request.idempotency_key);
    pg::Exec0(tx, kCountReturn, order_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> ReturnedBy(pqxx::work& tx, const std::string& order_id) {
  return pg::Guarded("reading returns", [&]() -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> ids;
    for (const pqxx::row& row : pg::Exec(tx, kReturnedBy, order_id)) {
      ids.push_back(row[0].as<std::string>());
    }
    return ids;
  });
}

absl::StatusOr<bool> ReturnKeyUsed(pqxx::work& tx, const std::string& order_id,
                                   const std::string& branch_id, const std::string& key) {
  return pg::Guarded("reading returns", [&]() -> absl::StatusOr<bool> {
    return !pg::Exec(tx, kReturnKeyUsed, order_id, branch_id, key).empty();
  });
}

absl::StatusOr<bool> AcceptOrder(pqxx::work& tx, const std::string& order_id,
                                 const std::string& branch_id, const std::string& delivery_id) {
  return pg::Guarded("accepting order", [&]() -> absl::StatusOr<bool> {
    return pg::Exec(tx, kAcceptOrder, order_id, branch_id, delivery_id).affected_rows() == 1;
  });
}

absl::Status SaveProgress(pqxx::work& tx, const std::string& order_id, const std::string& branch_id,
                          const ProgressReport& report, const ProgressResult& result) {
  return pg::Guarded("saving progress", [&]() -> absl::Status {
    const ProgressState& s = result.state;
    pg::Exec0(tx, SaveProgressSql(), order_id, EnumText(s.status), EnumText(s.last_step),
              s.crew_lead, s.crew_phone, pg::MicrosParam(s.departed_at),
              pg::MicrosParam(s.arrived_at), s.cause, EnumText(s.fault_kind),
              pg::MicrosParam(s.estimated_restore_at), pg::MicrosParam(s.completed_at),
              pg::MicrosParam(s.power_restored_at), s.note);
    pg::Exec0(tx, InsertProgressSql(), order_id, branch_id, EnumText(report.step),
              pg::MicrosParam(result.step_at), Describe(report));
    return absl::OkStatus();
  });
}

ProgressState ProgressStateOf(const OrderRecord& record) {
  const v1::Order& o = record.order;
  const v1::Progress& p = o.progress();
  ProgressState s;
  s.status = o.status();
  s.repair = o.type() == common::v1::TICKET_TYPE_REPAIR;
  s.dispatched_at = OptionalFromProtoTime(o.dispatched_at()).value_or(absl::UnixEpoch());
  s.last_step = p.last_step();
  s.crew_lead = p.crew_lead();
  s.crew_phone = p.crew_phone();
  s.departed_at = OptionalFromProtoTime(p.departed_at());
  s.arrived_at = OptionalFromProtoTime(p.arrived_at());
  s.cause = p.cause();
  s.fault_kind = p.fault_kind();
  s.estimated_restore_at = OptionalFromProtoTime(p.estimated_restore_at());
  s.completed_at = OptionalFromProtoTime(p.completed_at());
  s.power_restored_at = OptionalFromProtoTime(p.power_restored_at());
  s.note = p.note();
  return s;
}

absl::StatusOr<std::optional<TicketUpdate>> LoadUpdatesOfTicketWithoutOrder(
    pqxx::work& tx, const std::string& ticket_id) {
  return pg::Guarded(
      "reading ticket updates", [&]() -> absl::StatusOr<std::optional<TicketUpdate>> {
        // One row always; the update's columns are NULL when it has none.
        pqxx::row r = pg::Exec1(
            tx,
            absl::StrCat("SELECT EXISTS (SELECT 1 FROM dispatch.orders WHERE ticket_id = $1), "
                         "u.urgency, u.urgings, ",
                         HOTLINE_PG_MICROS("u.cancelled_at"),
                         ", u.cancel_reason FROM (VALUES (1)) AS one "
                         "LEFT JOIN dispatch.ticket_updates AS u ON u.ticket_id = $1"),
            ticket_id);
        if (r[0].as<bool>()) {
          return std::optional<TicketUpdate>();
        }
        TicketUpdate u;
        if (!r[1].is_null()) {
          u.urgency = r[1].as<int>();
          u.urgings = r[2].as<int>();
          u.cancelled_at = pg::TimeOf(r[3]);
          u.cancel_reason = r[4].as<std::string>();
        }
        return std::optional<TicketUpdate>(u);
      });
}

absl::Status SaveUrging(pqxx::work& tx, const std::string& ticket_id, int urgency, int urgings) {
  return pg::Guarded("saving an urging", [&]() -> absl::Status {
    pg::Exec0(tx, kSaveUrging, ticket_id, urgency, urgings);
    return absl::OkStatus();
  });
}

absl::Status SaveCancellation(pqxx::work& tx, const std::string& ticket_id, absl::Time cancelled_at,
                              const std::string& reason) {
  return pg::Guarded("saving a cancellation", [&]() -> absl::Status {
    pg::Exec0(tx, SaveCancellationSql(), ticket_id, pg::MicrosParam(cancelled_at), reason);
    return absl::OkStatus();
  });
}

absl::Status RaiseUrgency(pqxx::work& tx, const std::string& order_id, int urgency, int urgings) {
  return pg::Guarded("raising urgency", [&]() -> absl::Status {
    pg::Exec0(tx, kRaiseUrgency, order_id, urgency, urgings);
    return absl::OkStatus();
  });
}

absl::Status CancelOrder(pqxx::work& tx, const std::string& order_id, const std::string& reason) {
  return pg::Guarded("cancelling order", [&]() -> absl::Status {
    pg::Exec0(tx, kCancelOrder, order_id, reason);
    return absl::OkStatus();
  });
}

}  // namespace hotline::dispatch
