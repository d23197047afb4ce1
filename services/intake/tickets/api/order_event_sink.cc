#include "services/intake/tickets/api/order_event_sink.h"

#include "services/intake/tickets/domain/order_event_rules.h"

namespace hotline::intake {

void SubscribeOrderEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk) {
  for (const std::string& topic : OrderEventTopics()) {
    sink.Subscribe(topic, [desk](pqxx::work& tx, const common::v1::Event& event) {
      return desk->ApplyOrderEvent(tx, event);
    });
  }
}

}  // namespace hotline::intake
