#pragma once

// Helpers for the metrics tests: the one exposer of the test binary, a tiny
// HTTP scraper, and promtool's format check.

#include <prometheus/client_metric.h>
#include <prometheus/labels.h>
#include <prometheus/registry.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/metrics/exposer.h"

namespace hotline::metrics::testing {

// An exposer of ProcessRegistry() on 127.0.0.1:0, started on first use and
// stopped after the last test of the binary.
const MetricsExposer& SharedExposer();

// GET http://127.0.0.1:port/path; the body if the answer is 200.
absl::StatusOr<std::string> HttpGet(int port, const std::string& path = "/metrics");

// The series `name` with exactly `labels` as the registry would expose it now,
// or nullopt if it has no such series.
std::optional<prometheus::ClientMetric> FindSeries(prometheus::Registry& registry,
                                                   const std::string& name,
                                                   const prometheus::Labels& labels);

// Runs `promtool check metrics` on `exposition`; OK if it finds no problem,
// otherwise an error carrying promtool's output.
absl::Status PromtoolCheckMetrics(const std::string& exposition);

}  // namespace hotline::metrics::testing
