#pragma once

// The process-wide Prometheus registry and one-line helpers to declare metric
// families on it, so services do not repeat the prometheus-cpp builder chain.
//
//   auto& queued = hotline::metrics::GaugeFamily(
//       "hotline_calls_waiting", "Calls waiting in the live queue, by skill.");
//   queued.Add({{"skill", "repair"}}).Set(3);
//
// Families and the metrics they hand out live as long as the registry (for
// ProcessRegistry(): the whole process), so references may be cached. All
// functions here are thread-safe, and so are Family::Add and the metrics.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

#include "absl/strings/string_view.h"

namespace hotline::metrics {

// The one registry of this process; MetricsExposer serves it.
std::shared_ptr<prometheus::Registry> ProcessRegistry();

// Returns the family `name` of the registry, creating it on first use; a
// second call with the same name returns the same family. `name` must be a
// valid metric name not used by a family of another type: a violation is a
// programming error and aborts the process with a message naming the metric
// (names are constants in code, so any test that touches the metric finds it).
prometheus::Family<prometheus::Counter>& CounterFamily(
    absl::string_view name, absl::string_view help,
    prometheus::Registry& registry = *ProcessRegistry());
prometheus::Family<prometheus::Gauge>& GaugeFamily(
    absl::string_view name, absl::string_view help,
    prometheus::Registry& registry = *ProcessRegistry());
// Histograms take their buckets per child: `family.Add(labels, LatencyBuckets())`.
prometheus::Family<prometheus::Histogram>& HistogramFamily(
    absl::string_view name, absl::string_view help,
    prometheus::Registry& registry = *ProcessRegistry());

// Buckets in seconds for request latencies: 1 ms to 10 s, about three per
// decade (0.001, 0.0025, 0.005, 0.01, ..., 5, 10).
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

}  // namespace hotline::metrics
