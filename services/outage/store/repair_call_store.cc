#include "services/outage/store/repair_call_store.h"

#include <pqxx/pqxx>

#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"

namespace hotline::outage::store {
namespace {

constexpr char kLockPlace[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.outage.place:' || $1, 0))";
constexpr char kAdd[] =
    "INSERT INTO outage.repair_calls (call_id, place_key, place, ticket_id, called_at) "
    "VALUES ($1, $2, $3, $4::uuid, " HOTLINE_PG_TIME("$5") ") ON CONFLICT DO NOTHING";
constexpr char kPlacesOfTicket[] =
    "SELECT place_key, place FROM outage.repair_calls WHERE ticket_id = $1::uuid "
    "AND call_id = $2 ORDER BY place_key";
constexpr char kUngrouped[] =
    "SELECT call_id, ticket_id::text, " HOTLINE_PG_MICROS("called_at") " "
    "FROM outage.repair_calls WHERE place_key = $1 AND notice_id IS NULL "
    "  AND called_at >= " HOTLINE_PG_TIME("$2") " AND called_at <= " HOTLINE_PG_TIME("$3") " "
    "ORDER BY called_at, call_id";
constexpr char kMark[] =
    "UPDATE outage.repair_calls SET notice_id = $3::uuid "
    "WHERE place_key = $1 AND call_id = ANY($2::text[])";
// noted_at is the database's time: so is the cut.
constexpr char kPurge[] =
    "DELETE FROM outage.repair_calls WHERE noted_at < now() - $1::bigint * interval '1 "
    "microsecond'";

}  // namespace

absl::Status LockPlace(pqxx::work& tx, const std::string& place_key) {
  return pg::Guarded("locking a place", [&]() -> absl::Status {
    pg::Exec(tx, kLockPlace, place_key);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> AddRepairCall(pqxx::work& tx, const CallPlace& place, const RepairCall& call) {
  return pg::Guarded("noting a repair call", [&]() -> absl::StatusOr<bool> {
    return pg::Exec(tx, kAdd, call.call_id, place.key, place.written_as, call.ticket_id,
                    pg::MicrosParam(call.called_at))
               .affected_rows() > 0;
  });
}

absl::StatusOr<std::vector<CallPlace>> PlacesOfTicket(pqxx::work& tx,
                                                      const std::string& ticket_id) {
  return pg::Guarded("reading a ticket's places", [&]() -> absl::StatusOr<std::vector<CallPlace>> {
    std::vector<CallPlace> out;
    for (const pqxx::row& row : pg::Exec(tx, kPlacesOfTicket, ticket_id, ticket_id)) {
      out.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
    }
    return out;
  });
}

absl::StatusOr<std::vector<RepairCall>> UngroupedCalls(pqxx::work& tx, const std::string& place_key,
                                                       absl::Time from, absl::Time to) {
  return pg::Guarded("reading repair calls", [&]() -> absl::StatusOr<std::vector<RepairCall>> {
    std::vector<RepairCall> out;
    for (const pqxx::row& row :
         pg::Exec(tx, kUngrouped, place_key, pg::MicrosParam(from), pg::MicrosParam(to))) {
      out.push_back(
          {row[0].as<std::string>(), row[1].as<std::string>(), pg::RequiredTimeOf(row[2])});
    }
    return out;
  });
}

absl::Status MarkGrouped(pqxx::work& tx, const std::string& place_key,
                         const std::vector<std::string>& call_ids, const std::string& notice_id) {
  return pg::Guarded("grouping repair calls", [&]() -> absl::Status {
    pg::Exec0(tx, kMark, place_key, pg::TextArray(call_ids), notice_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> PurgeRepairCalls(pqxx::work& tx, absl::Duration kept) {
  return pg::Guarded("purging repair calls", [&]() -> absl::StatusOr<int64_t> {
    return static_cast<int64_t>(
        pg::Exec(tx, kPurge, absl::ToInt64Microseconds(kept)).affected_rows());
  });
}

}  // namespace hotline::outage::store
