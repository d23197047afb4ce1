#pragma once

#include "absl/status/status.h"
#include "libs/config/settings.h"
#include "libs/runtime/service_host.h"

namespace hotline::intake {

// Registers the call centre's settings (call_center_settings.h) on the
// process's settings; call from ServiceDefinition::add_settings. The values
// live in this library until the process exits.
void AddCallCenterSettings(config::Settings& settings);

// Adds the calls side of the intake service to `parts`: the CallCenter gRPC
// service and the live-queue keeper (a background worker). INVALID_ARGUMENT
// naming the setting when a call-centre setting is wrong.
absl::Status AddCallCenterParts(runtime::ServiceContext& context, runtime::ServiceParts& parts);

}  // namespace hotline::intake
