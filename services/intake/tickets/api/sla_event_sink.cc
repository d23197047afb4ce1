#include "services/intake/tickets/api/sla_event_sink.h"

#include "services/intake/tickets/domain/ticket_deadlines.h"

namespace hotline::intake {

void SubscribeSlaEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk) {
  sink.Subscribe(kSlaClockTopic, [desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk->ApplyClockEvent(tx, event);
  });
  sink.Subscribe(kSlaActionTopic, [desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk->ApplyActionEvent(tx, event);
  });
}

}  // namespace hotline::intake
