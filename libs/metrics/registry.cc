#include "libs/metrics/registry.h"

#include <cstdlib>
#include <exception>
#include <string>

#include "libs/log/log.h"

namespace hotline::metrics {
namespace {

template <typename Builder>
auto& RegisterOrDie(Builder builder, absl::string_view name, absl::string_view help,
                    prometheus::Registry& registry) {
  try {
    return builder.Name(std::string(name)).Help(std::string(help)).Register(registry);
  } catch (const std::exception& e) {
    log::Error("metrics", "cannot register metric ", name, ": ", e.what());
    std::abort();
  }
}

}  // namespace

std::shared_ptr<prometheus::Registry> ProcessRegistry() {
  static auto* registry =
      new std::shared_ptr<prometheus::Registry>(std::make_shared<prometheus::Registry>());
  return *registry;
}

prometheus::Family<prometheus::Counter>& CounterFamily(absl::string_view name,
                                                       absl::string_view help,
                                                       prometheus::Registry& registry) {
  return RegisterOrDie(prometheus::BuildCounter(), name, help, registry);
}

prometheus::Family<prometheus::Gauge>& GaugeFamily(absl::string_view name, absl::string_view help,
                                                   prometheus::Registry& registry) {
  return RegisterOrDie(prometheus::BuildGauge(), name, help, registry);
}

prometheus::Family<prometheus::Histogram>& HistogramFamily(absl::string_view name,
                                                           absl::string_view help,
                                                           prometheus::Registry& registry) {
  return RegisterOrDie(prometheus::BuildHistogram(), name, help, registry);
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

}  // namespace hotline::metrics
