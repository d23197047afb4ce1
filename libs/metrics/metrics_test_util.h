#pragma once

// Helpers for the metrics tests: the one exposer of the test binary and a
// series lookup. (Scraping and promtool's check: tests/fixtures/scrape.h.)

#include <prometheus/client_metric.h>
#include <prometheus/labels.h>
#include <prometheus/registry.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/metrics/exposer.h"
#include "tests/fixtures/scrape.h"

namespace hotline::metrics::testing {

using ::hotline::testing::HttpGet;
using ::hotline::testing::PromtoolCheckMetrics;

// An exposer of ProcessRegistry() on 127.0.0.1:0, started on first use and
// stopped after the last test of the binary.
const MetricsExposer& SharedExposer();

// The series `name` with exactly `labels` as the registry would expose it now,
// or nullopt if it has no such series.
std::optional<prometheus::ClientMetric> FindSeries(prometheus::Registry& registry,
                                                   const std::string& name,
                                                   const prometheus::Labels& labels);

}  // namespace hotline::metrics::testing
