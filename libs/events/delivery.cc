#include "libs/events/delivery.h"

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"

namespace hotline::events {

PeerDeliverer::PeerDeliverer(const std::map<std::string, std::shared_ptr<grpc::Channel>>& peers,
                             std::string service_token, absl::Duration timeout)
    : service_token_(std::move(service_token)), timeout_(timeout) {
  for (const auto& [name, channel] : peers) {
    stubs_[name] = common::v1::EventSink::NewStub(channel);
  }
}

absl::Status PeerDeliverer::Deliver(const pg::OutboxEvent& row) {
  auto stub = stubs_.find(row.destination);
  if (stub == stubs_.end()) {
    return absl::NotFoundError(absl::StrCat("no address configured for destination '",
                                            row.destination, "'"));
  }
  common::v1::DeliverEventsRequest request;
  if (!request.add_events()->ParseFromString(row.payload)) {
    return absl::DataLossError(absl::StrCat("outbox row ", row.id, " is not an Event"));
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
    if (id == row.event_id) {
      return absl::OkStatus();
    }
  }
  return absl::UnavailableError(
      absl::StrCat(row.destination, " did not apply event ", row.event_id, " yet"));
}

}  // namespace hotline::events
