#pragma once

// SQL for deadline policies (sla.policies), inside the caller's transaction.
// Each row keeps the serialized hotline.sla.v1.Policy under its key (stage,
// ticket type, area class, branch). Never throws.

#include <pqxx/transaction>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/sla/v1/sla.pb.h"

namespace hotline::sla::store {

// Every policy, by stage and key.
absl::StatusOr<std::vector<v1::Policy>> LoadPolicies(pqxx::work& tx);

// Adds the policy or replaces the one with its key: the stored version is
// the old one + 1 (1 for a new key), with `at` and `by` as updated_at and
// updated_by. Returns the policy as stored.
absl::StatusOr<v1::Policy> SavePolicy(pqxx::work& tx, v1::Policy policy, absl::Time at,
                                      const std::string& by);

// Adds the policy as version 1 unless its key has one already: true when added.
absl::StatusOr<bool> AddPolicyIfAbsent(pqxx::work& tx, v1::Policy policy, absl::Time at,
                                       const std::string& by);

}  // namespace hotline::sla::store
