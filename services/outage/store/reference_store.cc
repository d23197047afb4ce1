#include "services/outage/store/reference_store.h"

#include <pqxx/pqxx>

#include "libs/address/address_text.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"

namespace hotline::outage::store {
namespace {

constexpr char kUpsertArea[] =
    "INSERT INTO outage.transformer_areas (transformer_area, written_as, feeder, province, city, "
    "  county, township, village_or_community, customers) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (transformer_area) DO UPDATE SET "
    "  written_as = excluded.written_as, feeder = excluded.feeder, province = excluded.province, "
    "  city = excluded.city, county = excluded.county, township = excluded.township, "
    "  village_or_community = excluded.village_or_community, customers = excluded.customers";
constexpr char kUpsertAccount[] =
    "INSERT INTO outage.accounts (account_number, transformer_area) VALUES ($1, $2) "
    "ON CONFLICT (account_number) DO UPDATE SET transformer_area = excluded.transformer_area";
constexpr char kLoadAreas[] =
    "SELECT written_as, feeder, province, city, county, township, village_or_community, "
    "customers FROM outage.transformer_areas ORDER BY transformer_area";
constexpr char kAccount[] =
    "SELECT coalesce(t.written_as, a.transformer_area) FROM outage.accounts a "
    "LEFT JOIN outage.transformer_areas t ON t.transformer_area = a.transformer_area "
    "WHERE a.account_number = $1";
// clang-format off
constexpr char kAddInterruption[] =
    "INSERT INTO outage.interruptions (notice_id, transformer_area, customers, started_at, "
    "  restored_at) "
    "VALUES ($1::uuid, $2, $3, " HOTLINE_PG_TIME("$4") ", " HOTLINE_PG_TIME("$5") ") "
    "ON CONFLICT DO NOTHING";
constexpr char kInterruptionsBetween[] =
    "SELECT notice_id::text, transformer_area, customers, " HOTLINE_PG_MICROS("started_at") ", "
    "  " HOTLINE_PG_MICROS("restored_at") " "
    "FROM outage.interruptions "
    "WHERE restored_at > " HOTLINE_PG_TIME("$1") " AND started_at < " HOTLINE_PG_TIME("$2") " "
    "  AND ($3 OR transformer_area = ANY($4::text[])) "
    "ORDER BY started_at, notice_id, transformer_area";
// clang-format on

}  // namespace

absl::Status UpsertTransformerAreas(pqxx::work& tx, const std::vector<TransformerArea>& rows) {
  return pg::Guarded("storing transformer areas", [&]() -> absl::Status {
    for (const TransformerArea& row : rows) {
      const common::v1::Address& a = row.area;
      pg::Exec0(tx, kUpsertArea, address::NormalizeAddressText(row.transformer_area),
                row.transformer_area, row.feeder, a.province(), a.city(), a.county(), a.township(),
                a.village_or_community(), row.customers);
    }
    return absl::OkStatus();
  });
}

absl::Status UpsertAccounts(pqxx::work& tx, const std::vector<AccountPlace>& rows) {
  return pg::Guarded("storing accounts", [&]() -> absl::Status {
    for (const AccountPlace& row : rows) {
      pg::Exec0(tx, kUpsertAccount, row.account_number,
                address::NormalizeAddressText(row.transformer_area));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<TransformerArea>> LoadTransformerAreas(pqxx::work& tx) {
  return pg::Guarded("reading transformer areas",
                     [&]() -> absl::StatusOr<std::vector<TransformerArea>> {
                       std::vector<TransformerArea> out;
                       for (const pqxx::row& row : pg::Exec(tx, kLoadAreas)) {
                         TransformerArea area;
                         area.transformer_area = row[0].as<std::string>();
                         area.feeder = row[1].as<std::string>();
                         area.area.set_province(row[2].as<std::string>());
                         area.area.set_city(row[3].as<std::string>());
                         area.area.set_county(row[4].as<std::string>());
                         area.area.set_township(row[5].as<std::string>());
                         area.area.set_village_or_community(row[6].as<std::string>());
                         area.customers = row[7].as<int64_t>();
                         out.push_back(std::move(area));
                       }
                       return out;
                     });
}

absl::StatusOr<std::optional<std::string>> TransformerAreaOfAccount(
    pqxx::work& tx, const std::string& account_number) {
  return pg::Guarded("reading an account", [&]() -> absl::StatusOr<std::optional<std::string>> {
    pqxx::result r = pg::Exec(tx, kAccount, account_number);
    if (r.empty()) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(r[0][0].as<std::string>());
  });
}

absl::StatusOr<double> AddInterruptions(pqxx::work& tx,
                                        const std::vector<Interruption>& interruptions) {
  return pg::Guarded("recording interruptions", [&]() -> absl::StatusOr<double> {
    double hours = 0;
    for (const Interruption& i : interruptions) {
      pqxx::result r = pg::Exec(tx, kAddInterruption, i.notice_id,
                                address::NormalizeAddressText(i.transformer_area), i.customers,
                                pg::MicrosParam(i.start), pg::MicrosParam(i.end));
      if (r.affected_rows() > 0) {
        hours += static_cast<double>(i.customers) * absl::ToDoubleHours(i.end - i.start);
      }
    }
    return hours;
  });
}

absl::StatusOr<std::vector<Interruption>> InterruptionsBetween(
    pqxx::work& tx, absl::Time from, absl::Time to,
    const std::vector<std::string>& transformer_areas, bool all) {
  return pg::Guarded("reading interruptions", [&]() -> absl::StatusOr<std::vector<Interruption>> {
    std::vector<Interruption> out;
    for (const pqxx::row& row :
         pg::Exec(tx, kInterruptionsBetween, pg::MicrosParam(from), pg::MicrosParam(to), all,
                  pg::TextArray(transformer_areas))) {
      Interruption i;
      i.notice_id = row[0].as<std::string>();
      i.transformer_area = row[1].as<std::string>();
      i.customers = row[2].as<int64_t>();
      i.start = pg::RequiredTimeOf(row[3]);
      i.end = pg::RequiredTimeOf(row[4]);
      out.push_back(std::move(i));
    }
    return out;
  });
}

}  // namespace hotline::outage::store
