#pragma once

#include "absl/status/status.h"
#include "libs/runtime/service_host.h"

namespace hotline::intake {

// Adds the calls side of the intake service (its gRPC services and
// background workers) to `parts`.
absl::Status AddCallCenterParts(runtime::ServiceContext& context, runtime::ServiceParts& parts);

}  // namespace hotline::intake
