#pragma once

// The ticket state machine: which status a ticket may move to from which.
//
//   created           -> answered (at once; urgings) | linked_to_outage | routed
//   answered          -> closed
//   linked_to_outage  -> routed | resolved
//   routed, rerouted  -> dispatched | accepted | in_progress | resolved | answered
//   reopened          -> routed | dispatched | accepted | in_progress | resolved
//   dispatched        -> accepted | in_progress | resolved | returned
//   accepted          -> in_progress | resolved | returned
//   in_progress       -> resolved | returned
//   returned          -> rerouted (then dispatched again) | answered
//   resolved          -> callback | closed (types without a callback)
//   callback          -> closed | reopened (a dissatisfied callback)
//   every open status -> cancelled (see IsOpen); closed and cancelled are final
//
// Dispatch reports its orders as events that may arrive late or out of
// order, so along the order's path (routed, rerouted, reopened → dispatched →
// accepted → in_progress → resolved) a move may skip steps forward; it never
// goes back. routed/rerouted → answered is the "not dispatched" outcome (a
// fault on customer-owned equipment: the customer was advised).
//
// Pure and thread-compatible; statuses are the API's common.v1.TicketStatus.

#include <string>

#include "absl/status/status.h"
#include "hotline/common/v1/common.pb.h"

namespace hotline::intake {

using common::v1::TicketStatus;

class TicketStateMachine {
 public:
  explicit TicketStateMachine(TicketStatus status) : status_(status) {}

  TicketStatus status() const { return status_; }

  // Moves to `to` when the table allows it; otherwise FAILED_PRECONDITION
  // "ticket is <from>; it cannot become <to>" and the status is unchanged.
  absl::Status MoveTo(TicketStatus to);

  // Whether the table allows `from` -> `to` (a status never moves to itself).
  static bool Allows(TicketStatus from, TicketStatus to);

  // The check of MoveTo, without a machine.
  static absl::Status CheckMove(TicketStatus from, TicketStatus to);

  // Open: work is still to be done, so the ticket may be cancelled or urged:
  // created, linked_to_outage, routed, dispatched, accepted, in_progress,
  // returned, rerouted, reopened.
  static bool IsOpen(TicketStatus status);

  // Dispatch knows the ticket (it was routed there and is not finished nor
  // cancelled), so urgings and cancellations must be told to it: routed,
  // dispatched, accepted, in_progress, returned, rerouted, reopened.
  static bool IsWithDispatch(TicketStatus status);

 private:
  TicketStatus status_;
};

// "in_progress" for TICKET_STATUS_IN_PROGRESS; "unspecified" for zero.
std::string StatusName(TicketStatus status);

}  // namespace hotline::intake
