#pragma once

// Who may do what with tickets: the one table of the TicketIntake service.
//
//   create, urge, add notes       agent, shift_leader, admin
//   read (Get, List, GetHistory)  agent, shift_leader, dispatcher, supervisor,
//                                 discipline, admin
//   cancel                        shift_leader, admin
//   see a reporter unmasked       discipline only (not even admin)
//
// Branch systems and other services may not use TicketIntake at all; the
// service role only delivers events (EventSink, which checks it itself).

#include <cstdint>
#include <initializer_list>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/auth/role.h"

namespace hotline::intake {

enum class TicketAction { kCreate, kUrge, kAddNote, kRead, kCancel };

namespace ticket_roles_internal {

constexpr uint32_t Roles(std::initializer_list<auth::Role> roles) {
  uint32_t bits = 0;
  for (auth::Role role : roles) {
    bits |= 1u << static_cast<unsigned>(role);
  }
  return bits;
}

struct Grant {
  TicketAction action;
  absl::string_view verb;  // completes "role X may not ..."
  uint32_t roles;
};

using auth::Role;
inline constexpr Grant kGrants[] = {
    {TicketAction::kCreate, "create tickets",
     Roles({Role::kAgent, Role::kShiftLeader, Role::kAdmin})},
    {TicketAction::kUrge, "urge tickets", Roles({Role::kAgent, Role::kShiftLeader, Role::kAdmin})},
    {TicketAction::kAddNote, "add notes to tickets",
     Roles({Role::kAgent, Role::kShiftLeader, Role::kAdmin})},
    {TicketAction::kRead, "read tickets",
     Roles({Role::kAgent, Role::kShiftLeader, Role::kDispatcher, Role::kSupervisor,
            Role::kDiscipline, Role::kAdmin})},
    {TicketAction::kCancel, "cancel tickets", Roles({Role::kShiftLeader, Role::kAdmin})},
};

inline constexpr uint32_t kSeesReporterIdentity = Roles({Role::kDiscipline});

}  // namespace ticket_roles_internal

// OK when the table grants `action` to `role`; otherwise PERMISSION_DENIED
// "role <role> may not <verb>".
absl::Status AllowTicketAction(auth::Role role, TicketAction action);

// Whether `role` sees a tip-off reporter's name and phone unmasked.
constexpr bool SeesReporterIdentity(auth::Role role) {
  return (ticket_roles_internal::kSeesReporterIdentity & (1u << static_cast<unsigned>(role))) != 0;
}

}  // namespace hotline::intake
