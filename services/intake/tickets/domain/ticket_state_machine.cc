#include "services/intake/tickets/domain/ticket_state_machine.h"

#include <initializer_list>

#include "absl/strings/str_cat.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::intake {
namespace {

using S = TicketStatus;

struct Moves {
  TicketStatus from;
  std::initializer_list<TicketStatus> to;
};

// The whole table. Anything not listed is illegal.
const Moves kMoves[] = {
    {S::TICKET_STATUS_CREATED,
     {S::TICKET_STATUS_ANSWERED, S::TICKET_STATUS_LINKED_TO_OUTAGE, S::TICKET_STATUS_ROUTED,
      S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_ANSWERED, {S::TICKET_STATUS_CLOSED}},
    {S::TICKET_STATUS_LINKED_TO_OUTAGE,
     {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_ROUTED,
     {S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_IN_PROGRESS,
      S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_ANSWERED, S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_DISPATCHED,
     {S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_IN_PROGRESS, S::TICKET_STATUS_RESOLVED,
      S::TICKET_STATUS_RETURNED, S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_ACCEPTED,
     {S::TICKET_STATUS_IN_PROGRESS, S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_RETURNED,
      S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_IN_PROGRESS,
     {S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_RETURNED, S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_RESOLVED, {S::TICKET_STATUS_CALLBACK, S::TICKET_STATUS_CLOSED}},
    {S::TICKET_STATUS_CALLBACK, {S::TICKET_STATUS_CLOSED, S::TICKET_STATUS_REOPENED}},
    {S::TICKET_STATUS_CLOSED, {}},
    {S::TICKET_STATUS_RETURNED,
     {S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_ANSWERED, S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_REROUTED,
     {S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_IN_PROGRESS,
      S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_ANSWERED, S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_REOPENED,
     {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_ACCEPTED,
      S::TICKET_STATUS_IN_PROGRESS, S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_CANCELLED}},
    {S::TICKET_STATUS_CANCELLED, {}},
};

}  // namespace

bool TicketStateMachine::Allows(TicketStatus from, TicketStatus to) {
  for (const Moves& moves : kMoves) {
    if (moves.from != from) {
      continue;
    }
    for (TicketStatus allowed : moves.to) {
      if (allowed == to) {
        return true;
      }
    }
    return false;
  }
  return false;
}

absl::Status TicketStateMachine::CheckMove(TicketStatus from, TicketStatus to) {
  if (Allows(from, to)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("ticket is ", StatusName(from), "; it cannot become ", StatusName(to)));
}

absl::Status TicketStateMachine::MoveTo(TicketStatus to) {
  absl::Status allowed = CheckMove(status_, to);
  if (allowed.ok()) {
    status_ = to;
  }
  return allowed;
}

bool TicketStateMachine::IsOpen(TicketStatus status) {
  switch (status) {
    case S::TICKET_STATUS_CREATED:
    case S::TICKET_STATUS_LINKED_TO_OUTAGE:
    case S::TICKET_STATUS_ROUTED:
    case S::TICKET_STATUS_DISPATCHED:
    case S::TICKET_STATUS_ACCEPTED:
    case S::TICKET_STATUS_IN_PROGRESS:
    case S::TICKET_STATUS_RETURNED:
    case S::TICKET_STATUS_REROUTED:
    case S::TICKET_STATUS_REOPENED:
      return true;
    default:
      return false;
  }
}

bool TicketStateMachine::IsWithDispatch(TicketStatus status) {
  return IsOpen(status) && status != S::TICKET_STATUS_CREATED &&
         status != S::TICKET_STATUS_LINKED_TO_OUTAGE;
}

std::string StatusName(TicketStatus status) {
  std::string text = EnumText(status);
  return text.empty() ? "unspecified" : text;
}

}  // namespace hotline::intake
