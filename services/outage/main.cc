// hotline-outage: outage notices with their lead times, "is this address affected?", repair
// calls grouped into suspected fault outages, and supply reliability. Settings:
// `hotline-outage --help`.

#include "libs/runtime/service_host.h"
#include "outage_migrations.h"
#include "services/outage/outage_parts.h"
#include "services/outage/outage_settings.h"

int main(int argc, char** argv) {
  static hotline::outage::OutageSettings settings;
  hotline::runtime::ServiceDefinition definition;
  definition.name = "outage";
  definition.summary =
      "outage notices with their lead times, address checks, suspected fault outages from "
      "grouped repair calls, and supply reliability";
  definition.default_port = 50054;
  definition.default_metrics_port = 9104;
  definition.migrations = &hotline::outage_migrations();
  definition.add_settings = [](hotline::config::Settings& flags) { settings.Register(flags); };
  definition.make_parts = [](hotline::runtime::ServiceContext& context)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
    hotline::runtime::ServiceParts parts;
    if (absl::Status s = hotline::outage::AddOutageParts(context, settings, parts); !s.ok()) {
      return s;
    }
    return parts;
  };
  return hotline::runtime::RunService(definition, argc, argv);
}
