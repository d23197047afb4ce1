#include "services/survey/survey_settings.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/survey/domain/calling_hours.h"

namespace hotline::survey {

void SurveySettings::Register(config::Settings& s) {
  s.AddString("time-zone", &time_zone, "zone of the calling hours");
  s.AddString("calling-hours-start", &calling_hours_start,
              "local time (HH:MM) from which callbacks are offered each day");
  s.AddString("calling-hours-end", &calling_hours_end,
              "local time (HH:MM) at which callbacks stop being offered each day");
  s.AddDuration("callback-within", &callback_within,
                "how long after a ticket is resolved its callback is due");
  s.AddDuration("attempt-spacing", &attempt_spacing,
                "the least time between two attempts on one callback");
  s.AddInt("attempts-before-unreachable", &attempts_before_unreachable,
           "unanswered attempts, each attempt-spacing apart, before a customer is unreachable", 1,
           20);
  s.AddDuration("lease", &lease, "how long a callback taken by an agent stays with that agent");
  s.AddString("question-file", &question_file,
              "per-type survey questions (CSV); empty: the built-in ones");
  s.AddDuration("gauge-interval", &gauge_interval,
                "how often the open callbacks are counted for the gauge");
}

absl::Status SurveySettings::Validate() const {
  for (const auto& [name, value] :
       std::vector<std::pair<const char*, absl::Duration>>{{"callback-within", callback_within},
                                                           {"attempt-spacing", attempt_spacing},
                                                           {"lease", lease},
                                                           {"gauge-interval", gauge_interval}}) {
    if (value <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setting --", name, ": must be more than 0 (got ", absl::FormatDuration(value), ")"));
    }
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --time-zone: unknown time zone '", time_zone, "'"));
  }
  return ParseCallingHours(calling_hours_start, calling_hours_end, zone).status();
}

absl::TimeZone SurveySettings::Zone() const {
  absl::TimeZone zone;
  absl::LoadTimeZone(time_zone, &zone);
  return zone;
}

}  // namespace hotline::survey
