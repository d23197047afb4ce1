#pragma once

// The survey service's own settings (beside the common ones of
// libs/runtime/service_settings.h), as flags or HOTLINE_* variables.
// `hotline-survey --help` lists them with their defaults.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"

namespace hotline::survey {

struct SurveySettings {
  // The zone of the calling hours (the sla calendar's zone).
  std::string time_zone = "Asia/Shanghai";
  // Calls are offered from the start to the end of the calling hours, each
  // day, local time ("HH:MM"); no calls at night.
  std::string calling_hours_start = "08:00";
  std::string calling_hours_end = "21:00";
  // A callback is due this long after the ticket was resolved.
  absl::Duration callback_within = absl::Hours(24);
  // The least time between two attempts on one task.
  absl::Duration attempt_spacing = absl::Minutes(15);
  // Unanswered attempts, each at least attempt_spacing after the one before,
  // after which the customer counts as unreachable.
  int attempts_before_unreachable = 3;
  // How long a task taken with NextCallback stays with its agent.
  absl::Duration lease = absl::Minutes(10);
  // Per-type survey questions (CSV, deploy/survey/questions.csv); empty: the
  // built-in ones.
  std::string question_file;
  // How often the open-callbacks gauge is counted.
  absl::Duration gauge_interval = absl::Seconds(15);

  void Register(config::Settings& settings);
  // Rules beyond each value's type; INVALID_ARGUMENT naming the setting.
  absl::Status Validate() const;
  absl::TimeZone Zone() const;
};

}  // namespace hotline::survey
