#pragma once

// The tickets side's own settings, with domain.md's defaults. Registered on
// the service's config::Settings (flags or HOTLINE_* variables) by main.cc.
//
//   --ticket-number-prefix            GD             readable number prefix
//   --ticket-number-time-zone         Asia/Shanghai  the day in the number, times in history
//   --duplicate-repair-window         2h             repeat repair calls become urgings
//   --outage-check-timeout            1s             deadline of outage's CheckAddress
//   --ticket-max-urgency              3              urgency stops rising here
//   --sla-timeout                     1s             deadline of sla's ComputeDeadlines
//
// A ticket's deadlines are sla's (working days, holidays, its policies):
// intake has no deadline settings of its own.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"

namespace hotline::intake {

struct TicketSettings {
  std::string number_prefix = "GD";
  std::string number_time_zone = "Asia/Shanghai";
  absl::Duration duplicate_repair_window = absl::Hours(2);
  absl::Duration outage_check_timeout = absl::Seconds(1);
  int max_urgency = 3;
  absl::Duration sla_timeout = absl::Seconds(1);

  // Registers every field; `this` must outlive `settings`' Parse.
  void Register(config::Settings& settings);

  // INVALID_ARGUMENT naming the setting: an empty or non-alphanumeric prefix
  // (at most 8 characters), an unknown time zone, a duration that is not
  // positive.
  absl::Status Validate() const;

  // The numbering zone (Validate first).
  absl::TimeZone NumberZone() const;
};

}  // namespace hotline::intake
