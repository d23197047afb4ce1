#pragma once

// The payloads intake publishes to dispatch (proto/hotline/intake/v1/events.proto),
// built from a stored ticket. Pure.
//
// Confidentiality: a report's reporter never leaves intake unmasked, whichever
// unit (discipline or inspection) the report goes to. TicketCreated.customer
// holds the reporter masked and reporter_identity_withheld is set; the
// discipline staff read the identity through intake's GetTicket, where every
// such read is written to the ticket's history.

#include "absl/time/time.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/intake/v1/intake.pb.h"

namespace hotline::intake {

inline constexpr char kTicketCreatedTopic[] = "ticket.created";
inline constexpr char kTicketUrgedTopic[] = "ticket.urged";
inline constexpr char kTicketCancelledTopic[] = "ticket.cancelled";

// `ticket` as stored (unmasked); the result carries no unmasked reporter.
v1::TicketCreated MakeTicketCreated(const v1::Ticket& ticket);

v1::TicketUrged MakeTicketUrged(const v1::Ticket& urged, absl::Time urged_at);

v1::TicketCancelled MakeTicketCancelled(const v1::Ticket& ticket, absl::Time cancelled_at);

}  // namespace hotline::intake
