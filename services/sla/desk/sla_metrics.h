#pragma once

// The sla service's Prometheus metrics:
//   hotline_sla_open_clocks{stage}               running or paused clocks (from PostgreSQL)
//   hotline_sla_overdue_clocks{unit}             open clocks past their due time, by
//                                                responsible unit (from PostgreSQL)
//   hotline_sla_warnings_total{stage}            warnings fired
//   hotline_sla_breaches_total{stage,type}       clocks past their due time (fired, or
//                                                stopped late)
//   hotline_sla_met_total{stage,type}            clocks stopped in time
//   hotline_sla_escalations_total{level}         urgings and supervision cases opened
// Thread-safe.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "hotline/sla/v1/sla.pb.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace hotline::sla {

class SlaMetrics {
 public:
  explicit SlaMetrics(prometheus::Registry& registry);

  void Fired(const v1::SlaAction& action);
  // A clock stopped: met in time, or late.
  void Stopped(const v1::Clock& clock);
  // Sets the gauge of every stage; stages seen before and missing now go to 0.
  void SetOpen(const std::vector<std::pair<v1::Stage, int64_t>>& open);
  // Sets the gauge of every unit; units seen before and missing now go to 0.
  void SetOverdue(const std::vector<std::pair<std::string, int64_t>>& overdue);

 private:
  prometheus::Family<prometheus::Gauge>& open_;
  prometheus::Family<prometheus::Gauge>& overdue_;
  prometheus::Family<prometheus::Counter>& warnings_;
  prometheus::Family<prometheus::Counter>& breaches_;
  prometheus::Family<prometheus::Counter>& met_;
  prometheus::Family<prometheus::Counter>& escalations_;
  absl::Mutex mu_;
  std::set<v1::Stage> open_stages_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> overdue_units_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::sla
