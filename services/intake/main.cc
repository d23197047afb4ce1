// hotline-intake: tickets of all nine types and the call events of the telephony side.
// Settings: `hotline-intake --help`.

#include "hotline/intake/v1/intake.grpc.pb.h"
#include "libs/runtime/service_host.h"
#include "intake_migrations.h"

int main(int argc, char** argv) {
  hotline::runtime::ServiceDefinition definition;
  definition.name = "intake";
  definition.summary = "tickets of all nine types and the call events of the telephony side";
  definition.default_port = 50051;
  definition.default_metrics_port = 9101;
  definition.migrations = &hotline::intake_migrations();
  // The RPCs arrive with the intake issue; until then the generated services
  // answer UNIMPLEMENTED, and health, reflection and metrics are served.
  definition.make_parts = [](hotline::runtime::ServiceContext&)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
        hotline::runtime::ServiceParts parts;
        parts.services.push_back(std::make_unique<hotline::intake::v1::TicketIntake::CallbackService>());
        parts.services.push_back(std::make_unique<hotline::intake::v1::CallCenter::CallbackService>());
        return parts;
      };
  return hotline::runtime::RunService(definition, argc, argv);
}
