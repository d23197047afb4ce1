// hotline-survey: callbacks after repairs, complaints and reports, with the
// retry rules and the satisfaction answers. Settings: `hotline-survey --help`.

#include "libs/runtime/service_host.h"
#include "services/survey/survey_parts.h"
#include "services/survey/survey_settings.h"
#include "survey_migrations.h"

int main(int argc, char** argv) {
  static hotline::survey::SurveySettings settings;
  hotline::runtime::ServiceDefinition definition;
  definition.name = "survey";
  definition.summary =
      "callbacks after repairs, complaints and reports, with the retry rules and the "
      "satisfaction answers";
  definition.default_port = 50055;
  definition.default_metrics_port = 9105;
  definition.migrations = &hotline::survey_migrations();
  definition.add_settings = [](hotline::config::Settings& flags) { settings.Register(flags); };
  definition.make_parts = [](hotline::runtime::ServiceContext& context)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
    hotline::runtime::ServiceParts parts;
    if (absl::Status s = hotline::survey::AddSurveyParts(context, settings, parts); !s.ok()) {
      return s;
    }
    return parts;
  };
  return hotline::runtime::RunService(definition, argc, argv);
}
