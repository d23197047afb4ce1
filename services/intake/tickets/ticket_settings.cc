#include "services/intake/tickets/ticket_settings.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace hotline::intake {

void TicketSettings::Register(config::Settings& settings) {
  settings.AddString("ticket-number-prefix", &number_prefix,
                     "prefix of readable ticket numbers (PREFIX-yyyymmdd-NNNNNN)");
  settings.AddString("ticket-number-time-zone", &number_time_zone,
                     "IANA time zone of the province: the day in ticket numbers, times in "
                     "ticket histories");
  settings.AddDuration("duplicate-repair-window", &duplicate_repair_window,
                       "a repair call about the place of an open repair created this recently "
                       "becomes an urging of it");
  settings.AddDuration("outage-check-timeout", &outage_check_timeout,
                       "how long a repair create waits for the outage service's address check");
  settings.AddInt("ticket-max-urgency", &max_urgency, "urgency rises by one per urging up to this",
                  0, 100);
  settings.AddDuration(
      "sla-timeout", &sla_timeout,
      "how long a create waits for the sla service's deadlines (ComputeDeadlines); "
      "past it the ticket is taken with its deadlines pending");
}

absl::Status TicketSettings::Validate() const {
  if (number_prefix.empty() || number_prefix.size() > 8) {
    return absl::InvalidArgumentError("setting --ticket-number-prefix: 1 to 8 characters");
  }
  for (char c : number_prefix) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("setting --ticket-number-prefix: letters and digits only");
    }
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(number_time_zone, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setting --ticket-number-time-zone: unknown time zone '", number_time_zone, "'"));
  }
  const std::pair<const char*, absl::Duration> durations[] = {
      {"duplicate-repair-window", duplicate_repair_window},
      {"outage-check-timeout", outage_check_timeout},
      {"sla-timeout", sla_timeout},
  };
  for (const auto& [name, value] : durations) {
    if (value <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat("setting --", name, ": must be positive"));
    }
  }
  return absl::OkStatus();
}

absl::TimeZone TicketSettings::NumberZone() const {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(number_time_zone, &zone)) {
    return absl::UTCTimeZone();
  }
  return zone;
}

}  // namespace hotline::intake
