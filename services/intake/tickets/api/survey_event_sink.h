#pragma once

// Subscribes the ticket desk to the survey service's events on the intake
// process's EventSink (one per process): callback.scheduled (survey will call
// the customer back: the resolved ticket waits for its callback) and
// callback.completed (the callback's outcome: the ticket is closed, or
// reopened when the customer was dissatisfied); callback_event_rules.h says
// how each moves a ticket. Each event is applied once, in the transaction of
// its inbox claim (TicketDesk::ApplyCallbackEvent).

#include <memory>

#include "libs/events/event_sink_service.h"
#include "services/intake/tickets/desk/ticket_desk.h"

namespace hotline::intake {

void SubscribeSurveyEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk);

}  // namespace hotline::intake
