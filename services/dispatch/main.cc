// hotline-dispatch: routes tickets to branches; branch systems pull, acknowledge, report and return
// orders. Settings: `hotline-dispatch --help`.

#include "dispatch_migrations.h"
#include "libs/runtime/service_host.h"
#include "services/dispatch/dispatch_parts.h"
#include "services/dispatch/dispatch_settings.h"

int main(int argc, char** argv) {
  static hotline::dispatch::DispatchSettings settings;
  hotline::runtime::ServiceDefinition definition;
  definition.name = "dispatch";
  definition.summary =
      "routes tickets to branches; branch systems pull, acknowledge, report and return orders";
  definition.default_port = 50052;
  definition.default_metrics_port = 9102;
  definition.migrations = &hotline::dispatch_migrations();
  definition.add_settings = [](hotline::config::Settings& flags) { settings.Register(flags); };
  definition.make_parts = [](hotline::runtime::ServiceContext& context)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
    hotline::runtime::ServiceParts parts;
    if (absl::Status s = hotline::dispatch::AddDispatchParts(context, settings, parts); !s.ok()) {
      return s;
    }
    return parts;
  };
  return hotline::runtime::RunService(definition, argc, argv);
}
