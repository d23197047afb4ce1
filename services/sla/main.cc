// hotline-sla: deadline clocks per ticket stage on a working-day calendar: warnings, breaches, supervision.
// Settings: `hotline-sla --help`.

#include "hotline/sla/v1/sla.grpc.pb.h"
#include "libs/runtime/service_host.h"
#include "sla_migrations.h"

int main(int argc, char** argv) {
  hotline::runtime::ServiceDefinition definition;
  definition.name = "sla";
  definition.summary = "deadline clocks per ticket stage on a working-day calendar: warnings, breaches, supervision";
  definition.default_port = 50053;
  definition.default_metrics_port = 9103;
  definition.migrations = &hotline::sla_migrations();
  // The RPCs arrive with the sla issue; until then the generated services
  // answer UNIMPLEMENTED, and health, reflection and metrics are served.
  definition.make_parts = [](hotline::runtime::ServiceContext&)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
        hotline::runtime::ServiceParts parts;
        parts.services.push_back(std::make_unique<hotline::sla::v1::SlaTracker::CallbackService>());
        return parts;
      };
  return hotline::runtime::RunService(definition, argc, argv);
}
