#pragma once

// The outage service's Prometheus metrics:
//   hotline_outage_notices_total{kind,on_time}    notices published ("true"/"false"; "false":
//                                                 late for the kind's lead time), every
//                                                 kind's series there from the start
//   hotline_outage_active{kind}                   notices in effect (from the index)
//   hotline_outage_customers_affected             customers of the notices in effect
//   hotline_outage_customer_hours_total           customer-hours counted on restores
//   hotline_outage_checks_total{result}           CheckAddress answers: affected, clear,
//                                                 upcoming (covered, not yet in effect),
//                                                 unknown_account
// The gauges are set from this replica's index, which holds every replica's
// notices. Thread-safe.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hotline/outage/v1/outage.pb.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace hotline::outage {

class OutageMetrics {
 public:
  explicit OutageMetrics(prometheus::Registry& registry);

  void Published(const v1::OutageNotice& notice);
  void CustomerHours(double hours);
  enum class CheckResult { kAffected, kUpcoming, kClear, kUnknownAccount };
  void Checked(CheckResult result);
  // The gauges, from every open notice, as in effect at `now`.
  void SetOpen(const std::vector<v1::OutageNotice>& open, absl::Time now);

 private:
  prometheus::Family<prometheus::Counter>& notices_;
  prometheus::Family<prometheus::Gauge>& active_;
  prometheus::Gauge& customers_affected_;
  prometheus::Counter& customer_hours_;
  prometheus::Family<prometheus::Counter>& checks_;
  // One counter per CheckResult, made once: a check is on every repair call.
  prometheus::Counter* check_results_[4];
};

}  // namespace hotline::outage
