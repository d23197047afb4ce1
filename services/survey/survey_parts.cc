#include "services/survey/survey_parts.h"

#include "absl/strings/str_cat.h"
#include "libs/config/settings.h"
#include "libs/events/event_sink_service.h"
#include "libs/status/status.h"
#include "libs/worker/periodic_worker.h"
#include "services/survey/api/callback_surveys_service.h"
#include "services/survey/desk/callback_desk.h"
#include "services/survey/desk/survey_metrics.h"

namespace hotline::survey {
namespace {

absl::StatusOr<QuestionTemplates> LoadQuestions(const SurveySettings& settings) {
  if (settings.question_file.empty()) {
    return DefaultQuestions();
  }
  HOTLINE_ASSIGN_OR_RETURN(std::string text,
                           config::ReadSettingFile(settings.question_file, "question-file"));
  absl::StatusOr<QuestionTemplates> parsed = ParseQuestionFile(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setting --question-file: ", settings.question_file, ": ", parsed.status().message()));
  }
  return parsed;
}

// Owns what the gRPC services share, and keeps the open-callbacks gauge.
class SurveyCore final : public runtime::BackgroundWorker {
 public:
  SurveyCore(runtime::ServiceContext& context, const SurveySettings& settings, CallingHours hours,
             QuestionTemplates questions)
      : metrics_(*context.metrics()),
        desk_(context.pool(), settings, hours, std::move(questions), context.clock(), metrics_),
        gauge_({"survey.open", settings.gauge_interval, settings.gauge_interval * 8},
               [this, interval = settings.gauge_interval]() -> absl::StatusOr<absl::Duration> {
                 HOTLINE_ASSIGN_OR_RETURN(int64_t open, desk_.CountOpen());
                 metrics_.SetOpen(open);
                 return interval;
               }) {}

  void Start() override { gauge_.Start(); }
  void Stop() override { gauge_.Stop(); }

  CallbackDesk& desk() { return desk_; }

 private:
  SurveyMetrics metrics_;
  CallbackDesk desk_;
  worker::PeriodicWorker gauge_;
};

}  // namespace

absl::Status AddSurveyParts(runtime::ServiceContext& context, const SurveySettings& settings,
                            runtime::ServiceParts& parts) {
  HOTLINE_RETURN_IF_ERROR(settings.Validate());
  HOTLINE_ASSIGN_OR_RETURN(
      CallingHours hours,
      ParseCallingHours(settings.calling_hours_start, settings.calling_hours_end, settings.Zone()));
  HOTLINE_ASSIGN_OR_RETURN(QuestionTemplates questions, LoadQuestions(settings));
  auto core = std::make_unique<SurveyCore>(context, settings, hours, std::move(questions));
  CallbackDesk& desk = core->desk();

  parts.services.push_back(
      std::make_unique<CallbackSurveysService>(desk, context.tokens(), context.handlers()));

  auto sink = std::make_unique<events::EventSinkService>(context.pool(), context.schema(),
                                                         context.tokens(), context.handlers());
  sink->Subscribe("ticket.resolved", [&desk](pqxx::work& tx, const common::v1::Event& event) {
    return desk.ApplyResolved(tx, event);
  });
  parts.services.push_back(std::move(sink));

  HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<runtime::BackgroundWorker> relay,
                           context.MakeOutboxWorker({"intake", "dispatch"}));
  parts.workers.push_back(std::move(core));
  parts.workers.push_back(std::move(relay));
  return absl::OkStatus();
}

}  // namespace hotline::survey
