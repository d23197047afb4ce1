#include "services/dispatch/store/lease_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"

namespace hotline::dispatch {
namespace {

const std::string& ClaimSql() {
  static const std::string kSql =
      "WITH held AS ("
      "  SELECT count(*) AS n FROM dispatch.orders "
      "  WHERE lease_puller = $2 AND status = 'dispatched' AND lease_expires_at > now()), "
      "pick AS ("
      "  SELECT order_id AS picked FROM dispatch.orders "
      "  WHERE branch_id = $1 AND status = 'dispatched' "
      "    AND (lease_expires_at IS NULL OR lease_expires_at <= now()) "
      "    AND ($5::text[] IS NULL OR order_id = ANY($5::text[])) "
      "  ORDER BY urgency DESC, seq "
      "  LIMIT GREATEST($3::int - (SELECT n FROM held), 0) "
      "  FOR UPDATE SKIP LOCKED) "
      "UPDATE dispatch.orders o SET lease_id = gen_random_uuid()::text, lease_puller = $2, "
      "  lease_position = nextval('dispatch.delivery_positions'), "
      "  lease_expires_at = now() + $4::bigint * interval '1 microsecond', "
      "  deliveries = o.deliveries + 1, updated_at = now() "
      "FROM pick WHERE o.order_id = pick.picked "
      "RETURNING o.order_id";
  return kSql;
}

constexpr char kHeld[] =
    "SELECT order_id FROM dispatch.orders WHERE lease_puller = $1 AND status = 'dispatched' "
    "  AND lease_expires_at > now() AND lease_position > $2 AND branch_id = $3 "
    "ORDER BY lease_position";
constexpr char kPending[] =
    "SELECT branch_id, order_id, urgency, seq FROM dispatch.orders WHERE status = 'dispatched'";
constexpr char kStillPending[] =
    "SELECT order_id FROM dispatch.orders WHERE order_id = ANY($1::text[]) AND branch_id = $2 "
    "  AND status = 'dispatched'";

// Loads each leased order and turns it into its delivery.
absl::StatusOr<std::vector<Delivery>> Deliveries(pqxx::work& tx, const pqxx::result& ids) {
  std::vector<Delivery> out;
  for (const pqxx::row& row : ids) {
    absl::StatusOr<OrderRecord> record = LoadOrder(tx, row[0].as<std::string>(), false);
    if (!record.ok()) {
      return record.status();
    }
    Delivery d;
    d.delivery_id = record->lease_id;
    d.position = record->lease_position;
    d.lease_expires_at = record->lease_expires_at.value_or(record->db_now);
    d.attempt = record->deliveries;
    d.record = std::move(*record);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Delivery>> ClaimOrders(
    pqxx::work& tx, const std::string& branch_id, const std::string& puller, int max_outstanding,
    absl::Duration lease, const std::optional<std::vector<std::string>>& candidates) {
  return pg::Guarded("leasing orders", [&]() -> absl::StatusOr<std::vector<Delivery>> {
    const int64_t lease_us = absl::ToInt64Microseconds(lease);
    pqxx::result ids =
        candidates.has_value()
            ? pg::Exec(tx, ClaimSql(), branch_id, puller, max_outstanding, lease_us,
                       pg::TextArray(*candidates))
            : pg::Exec(tx, ClaimSql(), branch_id, puller, max_outstanding, lease_us, nullptr);
    absl::StatusOr<std::vector<Delivery>> out = Deliveries(tx, ids);
    if (out.ok()) {
      std::sort(out->begin(), out->end(),
                [](const Delivery& a, const Delivery& b) { return a.position < b.position; });
    }
    return out;
  });
}

absl::StatusOr<std::vector<Delivery>> HeldLeases(pqxx::work& tx, const std::string& branch_id,
                                                 const std::string& puller, int64_t after) {
  return pg::Guarded("reading leases", [&]() -> absl::StatusOr<std::vector<Delivery>> {
    return Deliveries(tx, pg::Exec(tx, kHeld, puller, after, branch_id));
  });
}

absl::StatusOr<std::vector<PendingOrder>> PendingOrders(pqxx::work& tx) {
  return pg::Guarded("reading pending orders", [&]() -> absl::StatusOr<std::vector<PendingOrder>> {
    std::vector<PendingOrder> out;
    for (const pqxx::row& row : pg::Exec(tx, kPending)) {
      PendingOrder p;
      p.branch_id = row[0].as<std::string>();
      p.order_id = row[1].as<std::string>();
      p.urgency = row[2].as<int>();
      p.seq = row[3].as<int64_t>();
      out.push_back(std::move(p));
    }
    return out;
  });
}

absl::StatusOr<std::set<std::string>> StillPending(pqxx::work& tx, const std::string& branch_id,
                                                   const std::vector<std::string>& order_ids) {
  return pg::Guarded("reading pending orders", [&]() -> absl::StatusOr<std::set<std::string>> {
    std::set<std::string> out;
    for (const pqxx::row& row : pg::Exec(tx, kStillPending, pg::TextArray(order_ids), branch_id)) {
      out.insert(row[0].as<std::string>());
    }
    return out;
  });
}

}  // namespace hotline::dispatch
