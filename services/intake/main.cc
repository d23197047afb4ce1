// hotline-intake: tickets of all nine types and the call events of the telephony side.
// Settings: `hotline-intake --help`.

#include "intake_migrations.h"
#include "libs/runtime/service_host.h"
#include "services/intake/calls/calls_parts.h"
#include "services/intake/tickets/tickets_parts.h"

int main(int argc, char** argv) {
  hotline::runtime::ServiceDefinition definition;
  definition.name = "intake";
  definition.summary = "tickets of all nine types and the call events of the telephony side";
  definition.default_port = 50051;
  definition.default_metrics_port = 9101;
  definition.migrations = &hotline::intake_migrations();
  definition.add_settings = [](hotline::config::Settings& settings) {
    hotline::intake::AddCallCenterSettings(settings);
    hotline::intake::AddTicketSettings(settings);
  };
  definition.make_parts = [](hotline::runtime::ServiceContext& context)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
    hotline::runtime::ServiceParts parts;
    if (absl::Status s = hotline::intake::AddTicketParts(context, parts); !s.ok()) {
      return s;
    }
    if (absl::Status s = hotline::intake::AddCallCenterParts(context, parts); !s.ok()) {
      return s;
    }
    return parts;
  };
  return hotline::runtime::RunService(definition, argc, argv);
}
