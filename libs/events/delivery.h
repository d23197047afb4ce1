#pragma once

// The sending end: an outbox deliverer (pg::BatchDeliverer) that hands a
// batch of outbox rows (serialized hotline.common.v1.Event) for one
// destination to that service's EventSink in one DeliverEvents call, with
// this service's bearer token. Each event gets its row id as `sequence`.

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/common/v1/events.grpc.pb.h"
#include "libs/pg/outbox_relay.h"

namespace hotline::events {

class PeerDeliverer {
 public:
  // `peers` maps a destination name ("dispatch") to a channel to it.
  PeerDeliverer(const std::map<std::string, std::shared_ptr<grpc::Channel>>& peers,
                std::string service_token, absl::Duration timeout = absl::Seconds(5));

  // One DeliverEvents call. Per row: OK when the destination applied it (now
  // or before), else the destination's reason. The call's error when it
  // failed as a whole (destination down: the relay waits and retries);
  // NOT_FOUND for a destination with no channel, which retrying cannot mend
  // but which an operator can, by configuring it. A row whose payload is not
  // an Event is refused with DATA_LOSS and not sent.
  absl::StatusOr<pg::DeliveryResults> Deliver(const std::string& destination,
                                              const std::vector<pg::OutboxEvent>& batch);

 private:
  std::map<std::string, std::unique_ptr<common::v1::EventSink::Stub>> stubs_;
  std::string service_token_;
  absl::Duration timeout_;
};

}  // namespace hotline::events
