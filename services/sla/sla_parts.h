#pragma once

// The sla service's wiring: stores, the clock desk, the timer, the gRPC
// services (SlaTracker, and the EventSink that takes intake's and dispatch's
// events) and the outbox relay to intake, from the ServiceContext.

#include "absl/status/status.h"
#include "libs/runtime/service_host.h"
#include "services/sla/sla_settings.h"

namespace hotline::sla {

absl::Status AddSlaParts(runtime::ServiceContext& context, const SlaSettings& settings,
                         runtime::ServiceParts& parts);

}  // namespace hotline::sla
