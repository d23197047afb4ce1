#include "services/sla/sla_settings.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace hotline::sla {

void SlaSettings::Register(config::Settings& s) {
  s.AddString("time-zone", &time_zone, "zone of the calendar's days, working hours and shifts");
  s.AddString("policy-file", &policy_file,
              "deadline policies (CSV) added at start where their key has none; empty: the "
              "built-in defaults");
  s.AddString("calendar-file", &calendar_file,
              "a year's holidays and make-up days (CSV) merged into --calendar-region at start");
  s.AddString("calendar-region", &calendar_region,
              "the region --calendar-file is for (empty: the national calendar)");
  s.AddDuration("supervise-after", &supervise_after,
                "after a breach, when the supervision case opens (policies that set none)");
  s.AddDuration("timer-interval", &timer_interval,
                "how often due clocks are looked for: the longest a breach waits to fire");
  s.AddInt("timer-batch", &timer_batch, "clocks fired per transaction", 1, 10000);
  s.AddDuration("client-clock-skew", &client_clock_skew,
                "how far a client-supplied time may lie in the future");
}

absl::Status SlaSettings::Validate() const {
  for (const auto& [name, value] : std::vector<std::pair<const char*, absl::Duration>>{
           {"timer-interval", timer_interval}, {"client-clock-skew", client_clock_skew}}) {
    if (value <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setting --", name, ": must be more than 0 (got ", absl::FormatDuration(value), ")"));
    }
  }
  if (supervise_after < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("setting --supervise-after: must not be negative");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --time-zone: unknown time zone '", time_zone, "'"));
  }
  if (!calendar_region.empty() && calendar_file.empty()) {
    return absl::InvalidArgumentError("setting --calendar-region: only with --calendar-file");
  }
  return absl::OkStatus();
}

absl::TimeZone SlaSettings::Zone() const {
  absl::TimeZone zone;
  absl::LoadTimeZone(time_zone, &zone);
  return zone;
}

}  // namespace hotline::sla
