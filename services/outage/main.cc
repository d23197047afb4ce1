// hotline-outage: outage notices with their lead times, and whether an address is affected.
// Settings: `hotline-outage --help`.

#include "hotline/outage/v1/outage.grpc.pb.h"
#include "libs/runtime/service_host.h"
#include "outage_migrations.h"

int main(int argc, char** argv) {
  hotline::runtime::ServiceDefinition definition;
  definition.name = "outage";
  definition.summary = "outage notices with their lead times, and whether an address is affected";
  definition.default_port = 50054;
  definition.default_metrics_port = 9104;
  definition.migrations = &hotline::outage_migrations();
  // The RPCs arrive with the outage issue; until then the generated services
  // answer UNIMPLEMENTED, and health, reflection and metrics are served.
  definition.make_parts = [](hotline::runtime::ServiceContext&)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
        hotline::runtime::ServiceParts parts;
        parts.services.push_back(std::make_unique<hotline::outage::v1::OutageNotices::CallbackService>());
        return parts;
      };
  return hotline::runtime::RunService(definition, argc, argv);
}
