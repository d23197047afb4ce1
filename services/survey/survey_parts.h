#pragma once

// The survey service's wiring: the callback desk, the gRPC services
// (CallbackSurveys, and the EventSink that takes intake's ticket.resolved),
// the open-callbacks gauge and the outbox relay to intake and dispatch, from
// the ServiceContext.

#include "absl/status/status.h"
#include "libs/runtime/service_host.h"
#include "services/survey/survey_settings.h"

namespace hotline::survey {

absl::Status AddSurveyParts(runtime::ServiceContext& context, const SurveySettings& settings,
                            runtime::ServiceParts& parts);

}  // namespace hotline::survey
