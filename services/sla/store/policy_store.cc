#include "services/sla/store/policy_store.h"

#include <pqxx/binarystring>
#include <pqxx/pqxx>

#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::sla::store {
namespace {

constexpr char kSelect[] =
    "SELECT definition, version FROM sla.policies ORDER BY stage, ticket_type, area_class, "
    "branch_id";
constexpr char kLockKey[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.sla.policy:' || $1 || '/' || $2 || "
    "'/' || $3 || '/' || $4, 0))";
constexpr char kVersion[] =
    "SELECT version FROM sla.policies WHERE stage = $1 AND ticket_type = $2 AND area_class = $3 "
    "AND branch_id = $4";
constexpr char kUpsert[] =
    "INSERT INTO sla.policies (stage, ticket_type, area_class, branch_id, version, definition) "
    "VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT (stage, ticket_type, area_class, branch_id) "
    "DO UPDATE SET version = EXCLUDED.version, definition = EXCLUDED.definition";

struct Key {
  std::string stage, type, area, branch;
};

Key KeyOf(const v1::Policy& p) {
  return {EnumText(p.stage()), EnumText(p.ticket_type()), EnumText(p.area_class()), p.branch_id()};
}

// The version the key has now (0: none), under the key's lock.
int64_t CurrentVersion(pqxx::work& tx, const Key& key) {
  pg::Exec(tx, kLockKey, key.stage, key.type, key.area, key.branch);
  pqxx::result r = pg::Exec(tx, kVersion, key.stage, key.type, key.area, key.branch);
  return r.empty() ? 0 : r[0][0].as<int64_t>();
}

void Write(pqxx::work& tx, const Key& key, const v1::Policy& policy) {
  const std::string bytes = policy.SerializeAsString();
  pg::Exec0(tx, kUpsert, key.stage, key.type, key.area, key.branch, policy.version(),
            pqxx::binarystring(bytes.data(), bytes.size()));
}

void Stamp(v1::Policy& policy, int64_t version, absl::Time at, const std::string& by) {
  policy.set_version(version);
  *policy.mutable_updated_at() = ToProtoTime(at);
  policy.set_updated_by(by);
}

}  // namespace

absl::StatusOr<std::vector<v1::Policy>> LoadPolicies(pqxx::work& tx) {
  return pg::Guarded("reading the policies", [&]() -> absl::StatusOr<std::vector<v1::Policy>> {
    std::vector<v1::Policy> out;
    for (const pqxx::row& row : pg::Exec(tx, kSelect)) {
      const pqxx::binarystring bytes(row[0]);
      v1::Policy policy;
      policy.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
      policy.set_version(row[1].as<int64_t>());
      out.push_back(std::move(policy));
    }
    return out;
  });
}

absl::StatusOr<v1::Policy> SavePolicy(pqxx::work& tx, v1::Policy policy, absl::Time at,
                                      const std::string& by) {
  return pg::Guarded("saving a policy", [&]() -> absl::StatusOr<v1::Policy> {
    const Key key = KeyOf(policy);
    Stamp(policy, CurrentVersion(tx, key) + 1, at, by);
    Write(tx, key, policy);
    return policy;
  });
}

absl::StatusOr<bool> AddPolicyIfAbsent(pqxx::work& tx, v1::Policy policy, absl::Time at,
                                       const std::string& by) {
  return pg::Guarded("adding a policy", [&]() -> absl::StatusOr<bool> {
    const Key key = KeyOf(policy);
    if (CurrentVersion(tx, key) != 0) {
      return false;
    }
    Stamp(policy, 1, at, by);
    Write(tx, key, policy);
    return true;
  });
}

}  // namespace hotline::sla::store
