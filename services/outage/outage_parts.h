#pragma once

// The outage service's wiring: the reference data, the address index and
// its keeper, the notice desk, the gRPC services (OutageNotices, and the
// EventSink that takes intake's repair calls) and the outbox relay to
// intake, from the ServiceContext.

#include "absl/status/status.h"
#include "libs/runtime/service_host.h"
#include "services/outage/outage_settings.h"

namespace hotline::outage {

absl::Status AddOutageParts(runtime::ServiceContext& context, const OutageSettings& settings,
                            runtime::ServiceParts& parts);

}  // namespace hotline::outage
