#pragma once

// Who a caller is. A Principal comes from a bearer token (see
// token_store.h); what each role may call is the access table (access.h).

#include <cstdint>
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
  kService,      // another hotline service calling over gRPC; the only role that delivers events
  kAdmin,        // operators: every RPC that a person may call (see access.h)
};

// A set of roles, one bit per Role.
using RoleSet = uint32_t;

constexpr RoleSet Roles(std::initializer_list<Role> roles) {
  RoleSet set = 0;
  for (Role role : roles) {
    set |= RoleSet{1} << static_cast<unsigned>(role);
  }
  return set;
}

constexpr bool Contains(RoleSet set, Role role) {
  return (set & (RoleSet{1} << static_cast<unsigned>(role))) != 0;
}

// Every role, people and services alike.
inline constexpr RoleSet kEveryRole =
    Roles({Role::kAgent, Role::kShiftLeader, Role::kDispatcher, Role::kBranch, Role::kSupervisor,
           Role::kDiscipline, Role::kService, Role::kAdmin});

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

}  // namespace hotline::auth
