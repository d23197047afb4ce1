#pragma once

// Who sees what of a ticket beyond the access table (libs/auth/access.h),
// which decides who may call each TicketIntake RPC:
//
//   see a tip-off reporter unmasked   discipline only (not even admin)

#include "libs/auth/role.h"

namespace hotline::intake {

// Whether `role` sees a tip-off reporter's name and phone unmasked.
constexpr bool SeesReporterIdentity(auth::Role role) { return role == auth::Role::kDiscipline; }

}  // namespace hotline::intake
