#pragma once

// Subscribes the ticket desk to the outage service's events on the intake
// process's EventSink (one per process): outage.restored (power is back for
// a notice, as a whole or place by place: the repairs linked to it there are
// resolved). Each event is applied once, in the transaction of its inbox
// claim (TicketDesk::ApplyRestoreEvent).

#include <memory>

#include "libs/events/event_sink_service.h"
#include "services/intake/tickets/desk/ticket_desk.h"

namespace hotline::intake {

void SubscribeOutageEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk);

}  // namespace hotline::intake
