#pragma once

// Client-side checks of a running hotline service over gRPC: its health
// status and the services it lists through reflection. Used by the probe tool
// (`hotline-probe`, behind `tools/dev up` and `status`) and the end-to-end tests.

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace hotline::probe {

// grpc.health.v1 status of `service` ("" = the whole server), e.g. "SERVING",
// "NOT_SERVING"; an error when the call itself fails.
absl::StatusOr<std::string> CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                                        const std::string& service = "",
                                        absl::Duration timeout = absl::Seconds(2));

// The full names of the services the server lists through reflection.
absl::StatusOr<std::vector<std::string>> ListServices(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout = absl::Seconds(2));

}  // namespace hotline::probe
