#pragma once

// Subscribes the ticket desk to dispatch's order events on the intake
// process's EventSink (one per process): order.dispatched, order.accepted,
// order.progress, order.resolved, order.returned, order.not_dispatched
// (order_event_rules.h says how each moves a ticket). Each event is applied
// once, in the transaction of its inbox claim.

#include <memory>

#include "libs/events/event_sink_service.h"
#include "services/intake/tickets/desk/ticket_desk.h"

namespace hotline::intake {

void SubscribeOrderEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk);

}  // namespace hotline::intake
