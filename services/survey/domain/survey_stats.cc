#include "services/survey/domain/survey_stats.h"

namespace hotline::survey {
namespace {

double Rate(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

v1::GetSurveyStatsResponse MakeSurveyStats(const SurveyCounts& c) {
  v1::GetSurveyStatsResponse stats;
  stats.set_due(c.due);
  stats.set_answered(c.answered);
  stats.set_unreachable(c.unreachable);
  stats.set_open(c.due - c.answered - c.unreachable);
  stats.set_on_time(c.on_time);
  stats.set_overdue(c.overdue);
  stats.set_satisfied(c.satisfied);
  stats.set_basically_satisfied(c.basically_satisfied);
  stats.set_dissatisfied(c.dissatisfied);
  stats.set_solved(c.solved);
  stats.set_attempts(c.attempts);
  stats.set_callback_rate(Rate(c.answered + c.unreachable, c.due));
  stats.set_on_time_rate(Rate(c.on_time, c.due));
  stats.set_satisfaction_rate(Rate(c.satisfied + c.basically_satisfied, c.answered));
  stats.set_solved_rate(Rate(c.solved, c.answered));
  return stats;
}

}  // namespace hotline::survey
