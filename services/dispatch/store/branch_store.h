#pragma once

// SQL for the branches and territories tables (dispatch schema), inside the
// caller's transaction. Never throws: database errors come back as the Status
// of libs/pg/errors.h (the caller's transaction must then roll back).

#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/dispatch/domain/branch.h"

namespace hotline::dispatch {

// Creates or replaces the branch (its territory list replaced as a whole).
// `branch` must have passed ValidateBranch. INVALID_ARGUMENT "parent_id: ..."
// when the parent does not exist or would make a cycle.
absl::Status SaveBranch(pqxx::work& tx, const Branch& branch);

// NOT_FOUND naming the id.
absl::StatusOr<Branch> LoadBranch(pqxx::work& tx, const std::string& branch_id);

// The parent (superior) branch of `branch_id`: "" when it has none, when
// `branch_id` is "" (an order with the dispatchers) or is no branch.
absl::StatusOr<std::string> LoadSuperiorBranchId(pqxx::work& tx, const std::string& branch_id);

// Branches in id order after `after_id`, at most `limit`, of `kind` when
// not empty; each with its whole territory.
absl::StatusOr<std::vector<Branch>> ListBranches(pqxx::work& tx, const std::string& kind,
                                                 const std::string& after_id, int limit);

// Every branch with a territory entry found by one of `keys`
// (TerritoryKeysOf: level and TerritoryMatchKey), each with just those
// entries (and any saved before keys existed), which routing then checks
// with Covers; plus the branch `also_id` (with no territory) when it
// exists and is not among them. What RouteTicket / RouteAfterReturn need.
absl::StatusOr<std::vector<Branch>> LoadRoutingCandidates(pqxx::work& tx,
                                                          const std::vector<Territory>& keys,
                                                          const std::string& also_id);

}  // namespace hotline::dispatch
