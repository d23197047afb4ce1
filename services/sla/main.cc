// hotline-sla: deadline clocks per ticket stage on a working-day calendar: warnings, breaches,
// urging and supervision. Settings: `hotline-sla --help`.

#include "libs/runtime/service_host.h"
#include "services/sla/sla_parts.h"
#include "services/sla/sla_settings.h"
#include "sla_migrations.h"

int main(int argc, char** argv) {
  static hotline::sla::SlaSettings settings;
  hotline::runtime::ServiceDefinition definition;
  definition.name = "sla";
  definition.summary =
      "deadline clocks per ticket stage on a working-day calendar: warnings, breaches, urging "
      "and supervision";
  definition.default_port = 50053;
  definition.default_metrics_port = 9103;
  definition.migrations = &hotline::sla_migrations();
  definition.add_settings = [](hotline::config::Settings& flags) { settings.Register(flags); };
  definition.make_parts = [](hotline::runtime::ServiceContext& context)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
    hotline::runtime::ServiceParts parts;
    if (absl::Status s = hotline::sla::AddSlaParts(context, settings, parts); !s.ok()) {
      return s;
    }
    return parts;
  };
  return hotline::runtime::RunService(definition, argc, argv);
}
