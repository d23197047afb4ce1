#include "services/intake/tickets/api/outage_event_sink.h"

#include "services/intake/tickets/domain/outage_restore.h"

namespace hotline::intake {

void SubscribeOutageEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk) {
  sink.Subscribe(kOutageRestoredTopic, [desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk->ApplyRestoreEvent(tx, event);
  });
}

}  // namespace hotline::intake
