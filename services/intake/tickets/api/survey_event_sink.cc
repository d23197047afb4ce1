#include "services/intake/tickets/api/survey_event_sink.h"

#include "services/intake/tickets/domain/callback_event_rules.h"

namespace hotline::intake {

void SubscribeSurveyEvents(events::EventSinkService& sink, std::shared_ptr<TicketDesk> desk) {
  for (const std::string& topic : CallbackEventTopics()) {
    sink.Subscribe(topic, [desk](pqxx::work& tx, const common::v1::Event& event) {
      return desk->ApplyCallbackEvent(tx, event);
    });
  }
}

}  // namespace hotline::intake
