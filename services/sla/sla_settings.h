#pragma once

// The sla service's own settings (beside the common ones of
// libs/runtime/service_settings.h), as flags or HOTLINE_* variables.
// `hotline-sla --help` lists them with their defaults.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"

namespace hotline::sla {

struct SlaSettings {
  // The zone of the calendar's days, working hours and shifts.
  std::string time_zone = "Asia/Shanghai";
  // Deadline policies to add at start (CSV, deploy/sla/policies.csv): a rule
  // whose key has none yet is added; rules changed through SetPolicy stay.
  // Empty: domain.md's defaults are added the same way.
  std::string policy_file;
  // A year's holidays and make-up days (CSV, deploy/sla/calendar-<year>.csv),
  // merged into the calendar of --calendar-region at every start.
  std::string calendar_file;
  std::string calendar_region;
  // After a breach, when the supervision case opens, for policies that set none.
  absl::Duration supervise_after = absl::Minutes(30);
  // How often the timer looks for clocks whose next milestone fell due: a
  // breach fires at most this long after its due time.
  absl::Duration timer_interval = absl::Milliseconds(250);
  // Clocks fired per transaction.
  int timer_batch = 200;
  // How far a client-supplied time may lie in the future.
  absl::Duration client_clock_skew = absl::Minutes(5);

  void Register(config::Settings& settings);
  // Rules beyond each value's type; INVALID_ARGUMENT naming the setting.
  absl::Status Validate() const;
  absl::TimeZone Zone() const;
};

}  // namespace hotline::sla
