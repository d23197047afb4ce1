#pragma once

// Subscribes the ticket desk to the sla service's events on the intake
// process's EventSink (one per process): sla.clock (a clock of a ticket
// started, moved or stopped: the ticket's deadlines follow its own clocks)
// and sla.action (a warning, breach, urging or supervision case: written to
// the ticket's history). Each event is applied once, in the transaction of
// its inbox claim (TicketDesk::ApplyClockEvent, ApplyActionEvent).

#include <memory>

#include "libs/events/event_sink_service.h"
#include "services/intake/tickets/desk/ticket_desk.h"

namespace hotline::intake {

void SubscribeSlaEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk);

}  // namespace hotline::intake
