#pragma once

// The survey service's Prometheus metrics:
//   hotline_callbacks_due_total{type}                 callbacks scheduled
//   hotline_callbacks_completed_total{type,outcome}   callbacks ended: satisfied,
//                                                     dissatisfied, unreachable
//   hotline_callback_attempts_total{result}           calls made: no_answer, busy,
//                                                     wrong_number, answered
//   hotline_survey_answers_total{type,satisfaction}   satisfaction answers
//   hotline_callbacks_open                            open callbacks (every replica's,
//                                                     counted in PostgreSQL)
// Thread-safe.

#include <cstdint>

#include "hotline/common/v1/common.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "hotline/survey/v1/survey.pb.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace hotline::survey {

class SurveyMetrics {
 public:
  explicit SurveyMetrics(prometheus::Registry& registry);

  void Due(common::v1::TicketType type);
  void Completed(common::v1::TicketType type, v1::CallbackOutcome outcome);
  void Attempt(v1::AttemptResult result);
  void Answered(common::v1::TicketType type, v1::Satisfaction satisfaction);
  void SetOpen(int64_t open);

 private:
  prometheus::Family<prometheus::Counter>& due_;
  prometheus::Family<prometheus::Counter>& completed_;
  prometheus::Family<prometheus::Counter>& attempts_;
  prometheus::Family<prometheus::Counter>& answers_;
  prometheus::Gauge& open_;
};

}  // namespace hotline::survey
