#pragma once

// The dispatch service's Prometheus metrics:
//   hotline_orders_dispatched_total{branch,type}   orders put on a branch's queue
//                                                  (first dispatch, reroute, reassign,
//                                                  reopening)
//   hotline_orders_pending{branch}                 orders waiting for the branch's
//                                                  acknowledgement (from PostgreSQL)
//   hotline_order_dispatch_seconds                 ticket created -> order on the branch queue
//   hotline_order_arrival_seconds{area_class}      dispatch -> crew on site
//   hotline_orders_returned_total{branch,reason}   returns, by the returning branch
//   hotline_orders_reopened_total{branch}          resolved orders sent back to the
//                                                  branch that resolved them by a
//                                                  dissatisfied customer callback
// Thread-safe.

#include <map>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace hotline::dispatch {

class DispatchMetrics {
 public:
  explicit DispatchMetrics(prometheus::Registry& registry);

  void Dispatched(const std::string& branch_id, const std::string& type);
  void Returned(const std::string& branch_id, const std::string& reason);
  void Reopened(const std::string& branch_id);
  void DispatchLatency(absl::Duration since_ticket_created);
  void Arrival(const std::string& area_class, absl::Duration since_dispatch);
  // Sets the gauge of every branch in `pending`; branches seen before and
  // missing now go to 0.
  void SetPending(const std::map<std::string, int>& pending);

 private:
  prometheus::Family<prometheus::Counter>& dispatched_;
  prometheus::Family<prometheus::Counter>& returned_;
  prometheus::Family<prometheus::Counter>& reopened_;
  prometheus::Family<prometheus::Gauge>& pending_;
  prometheus::Histogram& dispatch_seconds_;
  prometheus::Family<prometheus::Histogram>& arrival_;
  absl::Mutex mu_;
  std::set<std::string> pending_branches_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::dispatch
