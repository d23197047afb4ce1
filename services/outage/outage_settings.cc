#include "services/outage/outage_settings.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace hotline::outage {

void OutageSettings::Register(config::Settings& s) {
  s.AddString("time-zone", &time_zone, "zone the voice text speaks times in");
  s.AddDuration("lead-planned", &rules.planned_lead,
                "how long before its start a planned-maintenance notice must be published");
  s.AddDuration("lead-temporary", &rules.temporary_lead, "the same for temporary maintenance");
  s.AddDuration("lead-orderly-use", &rules.orderly_use_lead,
                "the same for orderly power use (load limiting)");
  s.AddDuration("lead-other-unplanned", &rules.other_unplanned_lead,
                "the same for other unplanned outages (arrears, emergency limiting)");
  s.AddDuration("lead-fault", &rules.fault_lead, "the same for fault outages");
  s.AddDuration("amend-lead", &rules.amend_lead,
                "notice an earlier start or a later restore needs");
  s.AddInt("cluster-calls", &cluster.calls,
           "repair calls from one transformer area or feeder that make a suspected fault outage", 2,
           1000);
  s.AddDuration("cluster-window", &cluster.window, "the span those calls must fall within");
  s.AddString("transformer-area-file", &transformer_area_file,
              "transformer areas with their feeder, area and customers (CSV), merged in at start");
  s.AddString("account-file", &account_file,
              "power accounts and their transformer area (CSV), merged in at start");
  s.AddDuration("mirror-interval", &mirror_interval,
                "how often the address index looks for other replicas' changes unprompted");
  s.AddDuration("client-clock-skew", &client_clock_skew,
                "how far a client-supplied time may lie in the future");
}

absl::Status OutageSettings::Validate() const {
  for (const auto& [name, value] : std::vector<std::pair<const char*, absl::Duration>>{
           {"lead-planned", rules.planned_lead},
           {"lead-temporary", rules.temporary_lead},
           {"lead-orderly-use", rules.orderly_use_lead},
           {"lead-other-unplanned", rules.other_unplanned_lead},
           {"lead-fault", rules.fault_lead},
           {"amend-lead", rules.amend_lead}}) {
    if (value < absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setting --", name, ": must not be negative (got ", absl::FormatDuration(value), ")"));
    }
  }
  for (const auto& [name, value] : std::vector<std::pair<const char*, absl::Duration>>{
           {"cluster-window", cluster.window},
           {"mirror-interval", mirror_interval},
           {"client-clock-skew", client_clock_skew}}) {
    if (value <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setting --", name, ": must be more than 0 (got ", absl::FormatDuration(value), ")"));
    }
  }
  // Repair calls are kept a day (notice_keeper.cc).
  if (cluster.window > absl::Hours(12)) {
    return absl::InvalidArgumentError(absl::StrCat("setting --cluster-window: at most 12h (got ",
                                                   absl::FormatDuration(cluster.window), ")"));
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --time-zone: unknown time zone '", time_zone, "'"));
  }
  return absl::OkStatus();
}

absl::TimeZone OutageSettings::Zone() const {
  absl::TimeZone zone;
  absl::LoadTimeZone(time_zone, &zone);
  return zone;
}

}  // namespace hotline::outage
