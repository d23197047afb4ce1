#pragma once

// Who a caller is and what it may do. A Principal comes from a bearer token
// (see token_store.h); handlers check it with RequireRole before acting.

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hotline::auth {

enum class Role {
  kAgent,        // hotline agent: tickets, callbacks
  kShiftLeader,  // agents' shift leader: overdue lists, reassignments
  kDispatcher,   // control room: outage notices, routing overrides
  kBranch,       // a branch system: pulls and reports its own work orders
  kSupervisor,   // quality supervision: reads everything, reopens
  kDiscipline,   // discipline inspection: reads complaints and audit trails
  kService,      // another hotline service calling over gRPC
  kAdmin,        // operators: everything
};

// Parses the lower-case name used in token files ("agent", "shift_leader",
// "dispatcher", "branch", "supervisor", "discipline", "service", "admin").
// INVALID_ARGUMENT naming the text and the accepted names otherwise.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// The name ParseRole accepts for `role`.
absl::string_view RoleName(Role role);

// An authenticated caller.
struct Principal {
  std::string name;  // from the token file, for logs and audit trails
  Role role = Role::kAgent;
  std::string branch_id;  // set only for Role::kBranch: the branch it speaks for
};

// OK when `principal.role` is in `allowed` or is kAdmin (always allowed);
// otherwise PERMISSION_DENIED "role <role> may not <action>", where `action`
// reads as a verb phrase ("publish outage notices").
absl::Status RequireRole(const Principal& principal, std::initializer_list<Role> allowed,
                         absl::string_view action);

}  // namespace hotline::auth
