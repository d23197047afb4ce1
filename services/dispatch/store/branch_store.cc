#include "services/dispatch/store/branch_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"
#include "libs/proto_enum/enum_text.h"
#include "services/dispatch/domain/routing.h"

namespace hotline::dispatch {
namespace {

const std::string& BranchColumns() {
  static const std::string kColumns = absl::StrCat(
      "b.branch_id, b.name, b.kind, coalesce(b.parent_id, ''), b.duty_phone, b.area_class, "
      "b.arrival_limit_minutes, array_to_string(b.ticket_types, ','), "
      "array_to_string(b.fault_scopes, ','), ",
      HOTLINE_PG_MICROS("b.updated_at"));
  return kColumns;
}
constexpr int kBranchColumnCount = 10;

constexpr char kUpsertBranch[] =
    "INSERT INTO dispatch.branches (branch_id, name, kind, parent_id, duty_phone, area_class, "
    "  arrival_limit_minutes, ticket_types, fault_scopes, updated_at) "
    "VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, string_to_array($8, ','), "
    "  string_to_array($9, ','), now()) "
    "ON CONFLICT (branch_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, "
    "  parent_id = EXCLUDED.parent_id, duty_phone = EXCLUDED.duty_phone, "
    "  area_class = EXCLUDED.area_class, arrival_limit_minutes = EXCLUDED.arrival_limit_minutes, "
    "  ticket_types = EXCLUDED.ticket_types, fault_scopes = EXCLUDED.fault_scopes, "
    "  updated_at = now()";
constexpr char kSuperiorOf[] =
    "SELECT coalesce(parent_id, '') FROM dispatch.branches WHERE branch_id = $1";
constexpr char kBranchExists[] = "SELECT 1 FROM dispatch.branches WHERE branch_id = $1";
// Walks up from the would-be parent; UNION stops on a cycle already there.
constexpr char kAncestorsInclude[] =
    "WITH RECURSIVE up(id) AS ("
    "  SELECT $1::text"
    "  UNION SELECT b.parent_id FROM dispatch.branches b JOIN up ON b.branch_id = up.id"
    "    WHERE b.parent_id IS NOT NULL) "
    "SELECT 1 FROM up WHERE id = $2";
constexpr char kDeleteTerritory[] = "DELETE FROM dispatch.territories WHERE branch_id = $1";
constexpr char kInsertTerritory[] =
    "INSERT INTO dispatch.territories (branch_id, level, value, match_key) "
    "SELECT $1, l, v, k FROM unnest($2::text[], $3::text[], $4::text[]) AS t(l, v, k)";
constexpr char kTerritoriesOf[] =
    "SELECT branch_id, level, value FROM dispatch.territories WHERE branch_id = ANY($1::text[]) "
    "ORDER BY branch_id, level, value";

std::vector<std::string> Split(const std::string& joined) {
  if (joined.empty()) {
    return {};
  }
  return absl::StrSplit(joined, ',');
}

Branch BranchFromRow(const pqxx::row& row) {
  Branch b;
  b.branch_id = row[0].as<std::string>();
  b.name = row[1].as<std::string>();
  b.kind = row[2].as<std::string>();
  b.parent_id = row[3].as<std::string>();
  b.duty_phone = row[4].as<std::string>();
  b.area_class = ParseEnumText<AreaClass>(row[5].as<std::string>())
                     .value_or(common::v1::AREA_CLASS_UNSPECIFIED);
  if (b.area_class == common::v1::AREA_CLASS_UNSPECIFIED) {
    b.area_class = common::v1::AREA_CLASS_URBAN;
  }
  b.arrival_limit_minutes = row[6].as<int>();
  for (const std::string& type : Split(row[7].as<std::string>())) {
    if (auto t = ParseRequiredEnumText<TicketType>(type); t.has_value()) {
      b.ticket_types.push_back(*t);
    }
  }
  b.fault_scopes = Split(row[8].as<std::string>());
  b.updated_at = pg::TimeOf(row[9]).value_or(absl::UnixEpoch());
  return b;
}

Territory TerritoryFromRow(const pqxx::row& row, int first) {
  Territory t;
  t.level = ParseEnumText<TerritoryLevel>(row[first].as<std::string>())
                .value_or(v1::TERRITORY_LEVEL_UNSPECIFIED);
  t.value = row[first + 1].as<std::string>();
  return t;
}

void AttachTerritories(pqxx::work& tx, std::vector<Branch>& branches) {
  std::vector<std::string> ids;
  std::map<std::string, Branch*> by_id;
  for (Branch& b : branches) {
    ids.push_back(b.branch_id);
    by_id[b.branch_id] = &b;
  }
  if (ids.empty()) {
    return;
  }
  for (const pqxx::row& row : pg::Exec(tx, kTerritoriesOf, pg::TextArray(ids))) {
    by_id[row[0].as<std::string>()]->territory.push_back(TerritoryFromRow(row, 1));
  }
}

}  // namespace

absl::Status SaveBranch(pqxx::work& tx, const Branch& b) {
  return pg::Guarded("saving branch", [&]() -> absl::Status {
    if (!b.parent_id.empty()) {
      if (pg::Exec(tx, kBranchExists, b.parent_id).empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("parent_id: no branch '", b.parent_id, "' (upsert the parent first)"));
      }
      if (!pg::Exec(tx, kAncestorsInclude, b.parent_id, b.branch_id).empty()) {
        return absl::InvalidArgumentError(absl::StrCat("parent_id: '", b.parent_id, "' is below '",
                                                       b.branch_id, "': that makes a cycle"));
      }
    }
    std::vector<std::string> types;
    for (TicketType type : b.ticket_types) {
      types.push_back(EnumText(type));
    }
    pg::Exec0(tx, kUpsertBranch, b.branch_id, b.name, b.kind, b.parent_id, b.duty_phone,
              EnumText(b.area_class), b.arrival_limit_minutes, absl::StrJoin(types, ","),
              absl::StrJoin(b.fault_scopes, ","));
    pg::Exec0(tx, kDeleteTerritory, b.branch_id);
    std::vector<std::string> levels;
    std::vector<std::string> values;
    std::vector<std::string> keys;
    for (const Territory& t : b.territory) {
      levels.push_back(EnumText(t.level));
      values.push_back(t.value);
      keys.push_back(TerritoryMatchKey(t));
    }
    if (!levels.empty()) {
      pg::Exec0(tx, kInsertTerritory, b.branch_id, pg::TextArray(levels), pg::TextArray(values),
                pg::TextArray(keys));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Branch> LoadBranch(pqxx::work& tx, const std::string& branch_id) {
  return pg::Guarded("loading branch", [&]() -> absl::StatusOr<Branch> {
    pqxx::result r = pg::Exec(tx,
                              absl::StrCat("SELECT ", BranchColumns(),
                                           " FROM dispatch.branches b WHERE b.branch_id = $1"),
                              branch_id);
    if (r.empty()) {
      return absl::NotFoundError(absl::StrCat("branch '", branch_id, "' not found"));
    }
    std::vector<Branch> one = {BranchFromRow(r[0])};
    AttachTerritories(tx, one);
    return one.front();
  });
}

absl::StatusOr<std::string> LoadSuperiorBranchId(pqxx::work& tx, const std::string& branch_id) {
  if (branch_id.empty()) {
    return std::string();
  }
  return pg::Guarded("loading a branch's superior", [&]() -> absl::StatusOr<std::string> {
    pqxx::result r = pg::Exec(tx, kSuperiorOf, branch_id);
    return r.empty() ? std::string() : r[0][0].as<std::string>();
  });
}

absl::StatusOr<std::vector<Branch>> ListBranches(pqxx::work& tx, const std::string& kind,
                                                 const std::string& after_id, int limit) {
  return pg::Guarded("listing branches", [&]() -> absl::StatusOr<std::vector<Branch>> {
    pqxx::result r = pg::Exec(
        tx,
        absl::StrCat(
            "SELECT ", BranchColumns(),
            " FROM dispatch.branches b WHERE b.branch_id > $1 AND ($2 = '' OR b.kind = $2) "
            "ORDER BY b.branch_id LIMIT $3"),
        after_id, kind, limit);
    std::vector<Branch> branches;
    for (const pqxx::row& row : r) {
      branches.push_back(BranchFromRow(row));
    }
    AttachTerritories(tx, branches);
    return branches;
  });
}

absl::StatusOr<std::vector<Branch>> LoadRoutingCandidates(pqxx::work& tx,
                                                          const std::vector<Territory>& keys,
                                                          const std::string& also_id) {
  return pg::Guarded("loading routing candidates", [&]() -> absl::StatusOr<std::vector<Branch>> {
    std::vector<std::string> levels;
    std::vector<std::string> values;
    for (const Territory& k : keys) {
      levels.push_back(EnumText(k.level));
      values.push_back(k.value);
    }
    std::vector<Branch> branches;
    std::map<std::string, size_t> index;
    if (!keys.empty()) {
      pqxx::result r =
          pg::Exec(tx,
                   absl::StrCat("SELECT ", BranchColumns(),
                                ", t.level, t.value FROM dispatch.territories t "
                                "JOIN dispatch.branches b ON b.branch_id = t.branch_id "
                                "WHERE (t.level, t.match_key) IN ("
                                "    SELECT * FROM unnest($1::text[], $2::text[])) "
                                "  OR t.match_key IS NULL "
                                "ORDER BY b.branch_id"),
                   pg::TextArray(levels), pg::TextArray(values));
      for (const pqxx::row& row : r) {
        std::string id = row[0].as<std::string>();
        auto [it, inserted] = index.emplace(id, branches.size());
        if (inserted) {
          branches.push_back(BranchFromRow(row));
        }
        branches[it->second].territory.push_back(TerritoryFromRow(row, kBranchColumnCount));
      }
    }
    if (!also_id.empty() && index.count(also_id) == 0) {
      pqxx::result r = pg::Exec(tx,
                                absl::StrCat("SELECT ", BranchColumns(),
                                             " FROM dispatch.branches b WHERE b.branch_id = $1"),
                                also_id);
      if (!r.empty()) {
        branches.push_back(BranchFromRow(r[0]));
      }
    }
    return branches;
  });
}

}  // namespace hotline::dispatch
