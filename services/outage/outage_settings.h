#pragma once

// The outage service's own settings (beside the common ones of
// libs/runtime/service_settings.h), as flags or HOTLINE_* variables.
// `hotline-outage --help` lists them with their defaults.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"
#include "services/outage/domain/notice_rules.h"
#include "services/outage/domain/repair_cluster.h"

namespace hotline::outage {

struct OutageSettings {
  // The zone the voice text speaks times in.
  std::string time_zone = "Asia/Shanghai";
  // Lead times per kind and the amendment lead (domain.md).
  NoticeRules rules;
  // Repair calls from one place that make a suspected fault outage.
  ClusterRule cluster;
  // Reference data merged in at start (CSV; see domain/reliability.h).
  std::string transformer_area_file;
  std::string account_file;
  // How often the index looks for other replicas' changes when no
  // notification came: the longest another replica's change stays unseen.
  absl::Duration mirror_interval = absl::Seconds(1);
  // How far a client-supplied time may lie in the future.
  absl::Duration client_clock_skew = absl::Minutes(5);

  void Register(config::Settings& settings);
  // Rules beyond each value's type; INVALID_ARGUMENT naming the setting.
  absl::Status Validate() const;
  absl::TimeZone Zone() const;
};

}  // namespace hotline::outage
