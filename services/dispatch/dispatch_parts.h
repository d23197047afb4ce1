#pragma once

// Wires the dispatch service: its gRPC services (Dispatch, BranchOrders and
// the EventSink for intake's ticket events) and its background work (the
// pull hub, the queue keeper, the outbox relay to the event destinations).

#include "absl/status/status.h"
#include "libs/runtime/service_host.h"
#include "services/dispatch/dispatch_settings.h"

namespace hotline::dispatch {

// `settings` must outlive the parts (main's static object does).
absl::Status AddDispatchParts(runtime::ServiceContext& context, const DispatchSettings& settings,
                              runtime::ServiceParts& parts);

}  // namespace hotline::dispatch
