#pragma once

// The sending end: an outbox deliverer that hands each outbox row (a
// serialized hotline.common.v1.Event) to the EventSink of the service named
// by the row's destination, over gRPC, with this service's bearer token.

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "hotline/common/v1/events.grpc.pb.h"
#include "libs/pg/outbox.h"

namespace hotline::events {

class PeerDeliverer {
 public:
  // `peers` maps a destination name ("dispatch") to a channel to it.
  PeerDeliverer(const std::map<std::string, std::shared_ptr<grpc::Channel>>& peers,
                std::string service_token, absl::Duration timeout = absl::Seconds(5));

  // OK once the destination acknowledged the event (applied now or before).
  // UNAVAILABLE (or the call's error) otherwise, so the relay retries;
  // NOT_FOUND for a destination with no channel, which retrying cannot mend
  // but which an operator can, by configuring it.
  absl::Status Deliver(const pg::OutboxEvent& row);

 private:
  std::map<std::string, std::unique_ptr<common::v1::EventSink::Stub>> stubs_;
  std::string service_token_;
  absl::Duration timeout_;
};

}  // namespace hotline::events
