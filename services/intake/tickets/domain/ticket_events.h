#pragma once

// The payloads intake publishes (proto/hotline/intake/v1/events.proto),
// built from a stored ticket, and the services each topic goes to. Pure.
//
// Confidentiality: a report's reporter never leaves intake unmasked, whichever
// unit (discipline or inspection) the report goes to. TicketCreated.customer
// holds the reporter masked and reporter_identity_withheld is set; the
// discipline staff read the identity through intake's GetTicket, where every
// such read is written to the ticket's history. TicketResolved is the one
// exception: survey calls a named reporter back, so it carries the contact
// unmasked (survey shows it to the discipline role only and writes every
// showing to its history); an anonymous report's carries none.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/intake/v1/intake.pb.h"

namespace hotline::intake {

inline constexpr char kTicketCreatedTopic[] = "ticket.created";
inline constexpr char kTicketUrgedTopic[] = "ticket.urged";
inline constexpr char kTicketCancelledTopic[] = "ticket.cancelled";
inline constexpr char kTicketResolvedTopic[] = "ticket.resolved";

// Where the ticket events go (one outbox row per destination). The outbox
// relay sends a destination's rows only from a lane of that destination, and
// a lane needs the destination's address: a row queued for a service the
// relay has no lane for would wait, never sent and never purged. So the
// relay's lanes are made from All() (tickets_parts.cc), and a service intake
// has no address for is left out of these lists rather than queued for.
struct TicketDestinations {
  // ticket.created and ticket.cancelled of every routed ticket: dispatch
  // routes it, sla runs its deadline clocks. ticket.urged goes to dispatch
  // (the order's urgency), which must be one of these, while the ticket is
  // with dispatch.
  std::vector<std::string> routed = {"dispatch", "sla"};
  // ticket.created of a routed repair goes here as well, and ticket.urged of
  // a repair (a repeat call about it is another call from its place): outage
  // groups the repair calls of one transformer area or feeder into a
  // suspected fault outage. Empty when intake has no outage address
  // (MakeTicketDestinations).
  std::vector<std::string> repair_created = {"outage"};
  // ticket.resolved of a repair, complaint or report (IsCalledBack): survey
  // calls the customer back. Empty when intake has no survey address
  // (MakeTicketDestinations).
  std::vector<std::string> resolved = {"survey"};

  // Where the ticket.created of a routed ticket of `type` goes.
  std::vector<std::string> Created(common::v1::TicketType type) const;
  // Where the ticket.urged of a ticket of `type` goes; `with_dispatch`: the
  // ticket is with dispatch. May be empty.
  std::vector<std::string> Urged(common::v1::TicketType type, bool with_dispatch) const;
  // Where the ticket.resolved of a ticket of `type` goes; empty for a type
  // that is not called back.
  std::vector<std::string> Resolved(common::v1::TicketType type) const;
  // Every destination once, in the order above: the relay's lanes.
  std::vector<std::string> All() const;
};

// The destinations of a service that can reach outage (`with_outage`: an
// outage address is configured) and survey (`with_survey`), or that cannot.
TicketDestinations MakeTicketDestinations(bool with_outage, bool with_survey);

// Whether survey calls the customer back once a ticket of `type` is
// resolved: repairs, complaints and reports.
bool IsCalledBack(common::v1::TicketType type);

// How a ticket came to be resolved, for its ticket.resolved.
struct Resolution {
  std::string branch_id;  // the branch whose order resolved it; empty after an outage
  std::string order_id;
  absl::Time resolved_at;
  std::string text;  // what was done: the order's note, or the restore
};

// `ticket` as stored (unmasked). The customer's contact as the ticket holds
// it; a report's reporter unmasked (see above), or, for an anonymous report,
// no contact and `anonymous`.
v1::TicketResolved MakeTicketResolved(const v1::Ticket& ticket, const Resolution& resolution);

// `ticket` as stored (unmasked); the result carries no unmasked reporter.
v1::TicketCreated MakeTicketCreated(const v1::Ticket& ticket);

v1::TicketUrged MakeTicketUrged(const v1::Ticket& urged, absl::Time urged_at);

v1::TicketCancelled MakeTicketCancelled(const v1::Ticket& ticket, absl::Time cancelled_at);

}  // namespace hotline::intake
