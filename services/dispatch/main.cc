// hotline-dispatch: routes tickets to branches; branch systems pull, acknowledge, report and return orders.
// Settings: `hotline-dispatch --help`.

#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "libs/runtime/service_host.h"
#include "dispatch_migrations.h"

int main(int argc, char** argv) {
  hotline::runtime::ServiceDefinition definition;
  definition.name = "dispatch";
  definition.summary = "routes tickets to branches; branch systems pull, acknowledge, report and return orders";
  definition.default_port = 50052;
  definition.default_metrics_port = 9102;
  definition.migrations = &hotline::dispatch_migrations();
  // The RPCs arrive with the dispatch issue; until then the generated services
  // answer UNIMPLEMENTED, and health, reflection and metrics are served.
  definition.make_parts = [](hotline::runtime::ServiceContext&)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
        hotline::runtime::ServiceParts parts;
        parts.services.push_back(std::make_unique<hotline::dispatch::v1::Dispatch::CallbackService>());
        parts.services.push_back(std::make_unique<hotline::dispatch::v1::BranchOrders::CallbackService>());
        return parts;
      };
  return hotline::runtime::RunService(definition, argc, argv);
}
