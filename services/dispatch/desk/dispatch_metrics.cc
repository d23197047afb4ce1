#include "services/dispatch/desk/dispatch_metrics.h"

#include "libs/metrics/registry.h"

namespace hotline::dispatch {
namespace {

// Seconds from a ticket to its order on a queue: the target is 5 minutes.
const prometheus::Histogram::BucketBoundaries& DispatchBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
  return kBuckets;
}

// Seconds from dispatch to arrival: limits are 45, 90 and 120 minutes.
const prometheus::Histogram::BucketBoundaries& ArrivalBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400, 21600};
  return kBuckets;
}

}  // namespace

DispatchMetrics::DispatchMetrics(prometheus::Registry& registry)
    : dispatched_(metrics::CounterFamily("hotline_orders_dispatched_total",
                                         "Orders put on a branch's queue (first dispatch, "
                                         "reroute after a return, reassignment, reopening "
                                         "after a dissatisfied callback), by branch and ticket "
                                         "type.",
                                         registry)),
      returned_(metrics::CounterFamily("hotline_orders_returned_total",
                                       "Orders returned by a branch, by that branch and reason.",
                                       registry)),
      reopened_(metrics::CounterFamily(
          "hotline_orders_reopened_total",
          "Resolved orders sent back to the branch that resolved them because the customer "
          "was dissatisfied or the problem was not solved (callback), by that branch.",
          registry)),
      pending_(metrics::GaugeFamily("hotline_orders_pending",
                                    "Orders waiting for the branch to acknowledge them.",
                                    registry)),
      dispatch_seconds_(metrics::HistogramFamily(
                            "hotline_order_dispatch_seconds",
                            "Seconds from the ticket's creation to its order on the branch queue.",
                            registry)
                            .Add({}, DispatchBuckets())),
      arrival_(metrics::HistogramFamily(
          "hotline_order_arrival_seconds",
          "Seconds from dispatch to the crew's arrival on site, by area class.", registry)) {}

void DispatchMetrics::Dispatched(const std::string& branch_id, const std::string& type) {
  dispatched_.Add({{"branch", branch_id}, {"type", type}}).Increment();
}

void DispatchMetrics::Returned(const std::string& branch_id, const std::string& reason) {
  returned_.Add({{"branch", branch_id}, {"reason", reason}}).Increment();
}

void DispatchMetrics::Reopened(const std::string& branch_id) {
  reopened_.Add({{"branch", branch_id}}).Increment();
}

void DispatchMetrics::DispatchLatency(absl::Duration since_ticket_created) {
  dispatch_seconds_.Observe(absl::ToDoubleSeconds(since_ticket_created));
}

void DispatchMetrics::Arrival(const std::string& area_class, absl::Duration since_dispatch) {
  arrival_.Add({{"area_class", area_class}}, ArrivalBuckets())
      .Observe(absl::ToDoubleSeconds(since_dispatch));
}

void DispatchMetrics::SetPending(const std::map<std::string, int>& pending) {
  absl::MutexLock lock(&mu_);
  for (const std::string& branch : pending_branches_) {
    if (pending.count(branch) == 0) {
      pending_.Add({{"branch", branch}}).Set(0);
    }
  }
  for (const auto& [branch, count] : pending) {
    pending_.Add({{"branch", branch}}).Set(count);
    pending_branches_.insert(branch);
  }
}

}  // namespace hotline::dispatch
