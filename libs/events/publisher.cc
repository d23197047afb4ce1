#include "libs/events/publisher.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "hotline/common/v1/events.pb.h"
#include "libs/pg/outbox.h"
#include "libs/text/uuid.h"

namespace hotline::events {

std::string NewUuid() { return text::NewUuid(); }

absl::Status Publish(pqxx::work& tx, absl::string_view source,
                     const std::vector<std::string>& destinations, absl::string_view topic,
                     absl::string_view key, const google::protobuf::Message& payload) {
  std::string base_id = NewUuid();
  common::v1::Event event;
  event.set_topic(std::string(topic));
  event.set_source(std::string(source));
  event.set_key(std::string(key));
  *event.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  event.mutable_payload()->PackFrom(payload);
  std::vector<pg::OutboxMessage> messages;
  for (const std::string& destination : destinations) {
    event.set_event_id(absl::StrCat(base_id, ".", destination));
    pg::OutboxMessage& message = messages.emplace_back();
    message.destination = destination;
    message.topic = std::string(topic);
    message.key = std::string(key);
    message.event_id = event.event_id();
    message.payload = event.SerializeAsString();
  }
  return pg::AddAllToOutbox(tx, source, messages);
}

}  // namespace hotline::events
