#include "services/intake/tickets/ticket_roles.h"

#include "absl/strings/str_cat.h"

namespace hotline::intake {

absl::Status AllowTicketAction(auth::Role role, TicketAction action) {
  for (const ticket_roles_internal::Grant& grant : ticket_roles_internal::kGrants) {
    if (grant.action != action) {
      continue;
    }
    if ((grant.roles & (1u << static_cast<unsigned>(role))) != 0) {
      return absl::OkStatus();
    }
    return absl::PermissionDeniedError(
        absl::StrCat("role ", auth::RoleName(role), " may not ", grant.verb));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", auth::RoleName(role), " may not do that"));
}

}  // namespace hotline::intake
