#include "libs/events/delivery.h"

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/status/status.h"

namespace hotline::events {

PeerDeliverer::PeerDeliverer(const std::map<std::string, std::shared_ptr<grpc::Channel>>& peers,
                             std::string service_token, absl::Duration timeout)
    : service_token_(std::move(service_token)), timeout_(timeout) {
  for (const auto& [name, channel] : peers) {
    stubs_[name] = common::v1::EventSink::NewStub(channel);
  }
}

absl::StatusOr<pg::DeliveryResults> PeerDeliverer::Deliver(
    const std::string& destination, const std::vector<pg::OutboxEvent>& batch) {
  auto stub = stubs_.find(destination);
  if (stub == stubs_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no address configured for destination '", destination, "'"));
  }
  pg::DeliveryResults results;
  common::v1::DeliverEventsRequest request;
  std::map<std::string, int64_t> row_of_event;
  for (const pg::OutboxEvent& row : batch) {
    common::v1::Event* event = request.add_events();
    if (!event->ParseFromString(row.payload)) {
      request.mutable_events()->RemoveLast();
      results[row.id] =
          absl::DataLossError(absl::StrCat("outbox row ", row.id, " is not an Event"));
      continue;
    }
    event->set_sequence(row.id);
    row_of_event[event->event_id()] = row.id;
  }
  if (request.events().empty()) {
    return results;
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  context.AddMetadata("authorization", absl::StrCat("Bearer ", service_token_));
  common::v1::DeliverEventsResponse response;
  grpc::Status status = stub->second->DeliverEvents(&context, request, &response);
  if (!status.ok()) {
    return FromGrpcStatus(status);
  }
  for (const std::string& id : response.accepted_event_ids()) {
    if (auto row = row_of_event.find(id); row != row_of_event.end()) {
      results[row->second] = absl::OkStatus();
    }
  }
  for (const common::v1::RefusedEvent& refused : response.refused_events()) {
    if (auto row = row_of_event.find(refused.event_id()); row != row_of_event.end()) {
      results[row->second] = absl::UnavailableError(
          absl::StrCat(destination, " did not apply the event: ", refused.reason()));
    }
  }
  return results;
}

}  // namespace hotline::events
