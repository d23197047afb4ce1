#pragma once

// The survey figures of GetSurveyStats from the counts over a period's tasks,
// with the rates as the proto defines them (a rate over 0 is 0). Pure.

#include <cstdint>

#include "hotline/survey/v1/survey.pb.h"

namespace hotline::survey {

struct SurveyCounts {
  int64_t due = 0;
  int64_t answered = 0;
  int64_t unreachable = 0;
  int64_t on_time = 0;
  int64_t overdue = 0;
  int64_t satisfied = 0;
  int64_t basically_satisfied = 0;
  int64_t dissatisfied = 0;
  int64_t solved = 0;
  int64_t attempts = 0;
};

v1::GetSurveyStatsResponse MakeSurveyStats(const SurveyCounts& counts);

}  // namespace hotline::survey
