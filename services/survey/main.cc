// hotline-survey: callbacks after repairs, complaints and reports, and the satisfaction answers.
// Settings: `hotline-survey --help`.

#include "hotline/survey/v1/survey.grpc.pb.h"
#include "libs/runtime/service_host.h"
#include "survey_migrations.h"

int main(int argc, char** argv) {
  hotline::runtime::ServiceDefinition definition;
  definition.name = "survey";
  definition.summary = "callbacks after repairs, complaints and reports, and the satisfaction answers";
  definition.default_port = 50055;
  definition.default_metrics_port = 9105;
  definition.migrations = &hotline::survey_migrations();
  // The RPCs arrive with the survey issue; until then the generated services
  // answer UNIMPLEMENTED, and health, reflection and metrics are served.
  definition.make_parts = [](hotline::runtime::ServiceContext&)
      -> absl::StatusOr<hotline::runtime::ServiceParts> {
        hotline::runtime::ServiceParts parts;
        parts.services.push_back(std::make_unique<hotline::survey::v1::CallbackSurveys::CallbackService>());
        return parts;
      };
  return hotline::runtime::RunService(definition, argc, argv);
}
