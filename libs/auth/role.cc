#include "libs/auth/role.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"

namespace hotline::auth {
namespace {

constexpr std::array<std::pair<Role, absl::string_view>, 8> kRoleNames = {{
    {Role::kAgent, "agent"},
    {Role::kShiftLeader, "shift_leader"},
    {Role::kDispatcher, "dispatcher"},
    {Role::kBranch, "branch"},
    {Role::kSupervisor, "supervisor"},
    {Role::kDiscipline, "discipline"},
    {Role::kService, "service"},
    {Role::kAdmin, "admin"},
}};

}  // namespace

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (const auto& [role, role_name] : kRoleNames) {
    if (name == role_name) {
      return role;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("role: unknown role \"", name,
                   "\" (expected agent, shift_leader, dispatcher, branch, supervisor, discipline, "
                   "service or admin)"));
}

absl::string_view RoleName(Role role) {
  for (const auto& [known, role_name] : kRoleNames) {
    if (known == role) {
      return role_name;
    }
  }
  return "unknown";
}

}  // namespace hotline::auth
