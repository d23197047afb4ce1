#include "services/survey/desk/survey_metrics.h"

#include "libs/metrics/registry.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::survey {
namespace {

using common::v1::TicketType;

constexpr TicketType kTypes[] = {TicketType::TICKET_TYPE_REPAIR, TicketType::TICKET_TYPE_COMPLAINT,
                                 TicketType::TICKET_TYPE_REPORT};

}  // namespace

SurveyMetrics::SurveyMetrics(prometheus::Registry& registry)
    : due_(metrics::CounterFamily("hotline_callbacks_due_total",
                                  "Callbacks scheduled, by ticket type.", registry)),
      completed_(metrics::CounterFamily(
          "hotline_callbacks_completed_total",
          "Callbacks ended, by ticket type and outcome (satisfied, dissatisfied, unreachable).",
          registry)),
      attempts_(metrics::CounterFamily("hotline_callback_attempts_total",
                                       "Callback calls made, by result.", registry)),
      answers_(metrics::CounterFamily("hotline_survey_answers_total",
                                      "Satisfaction answers, by ticket type and satisfaction.",
                                      registry)),
      open_(metrics::GaugeFamily("hotline_callbacks_open", "Callbacks not yet ended.", registry)
                .Add({})) {
  // Every series a dashboard divides by exists from the start, at 0.
  for (TicketType type : kTypes) {
    due_.Add({{"type", EnumText(type)}});
    for (v1::CallbackOutcome outcome :
         {v1::CALLBACK_OUTCOME_SATISFIED, v1::CALLBACK_OUTCOME_DISSATISFIED,
          v1::CALLBACK_OUTCOME_UNREACHABLE}) {
      completed_.Add({{"type", EnumText(type)}, {"outcome", EnumText(outcome)}});
    }
    for (v1::Satisfaction satisfaction :
         {v1::SATISFACTION_SATISFIED, v1::SATISFACTION_BASICALLY_SATISFIED,
          v1::SATISFACTION_DISSATISFIED}) {
      answers_.Add({{"type", EnumText(type)}, {"satisfaction", EnumText(satisfaction)}});
    }
  }
  for (v1::AttemptResult result : {v1::ATTEMPT_RESULT_NO_ANSWER, v1::ATTEMPT_RESULT_BUSY,
                                   v1::ATTEMPT_RESULT_WRONG_NUMBER, v1::ATTEMPT_RESULT_ANSWERED}) {
    attempts_.Add({{"result", EnumText(result)}});
  }
}

void SurveyMetrics::Due(TicketType type) { due_.Add({{"type", EnumText(type)}}).Increment(); }

void SurveyMetrics::Completed(TicketType type, v1::CallbackOutcome outcome) {
  completed_.Add({{"type", EnumText(type)}, {"outcome", EnumText(outcome)}}).Increment();
}

void SurveyMetrics::Attempt(v1::AttemptResult result) {
  attempts_.Add({{"result", EnumText(result)}}).Increment();
}

void SurveyMetrics::Answered(TicketType type, v1::Satisfaction satisfaction) {
  answers_.Add({{"type", EnumText(type)}, {"satisfaction", EnumText(satisfaction)}}).Increment();
}

void SurveyMetrics::SetOpen(int64_t open) { open_.Set(static_cast<double>(open)); }

}  // namespace hotline::survey
