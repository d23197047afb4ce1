#include "libs/metrics/metrics_test_util.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace hotline::metrics::testing {
namespace {

std::unique_ptr<MetricsExposer>& ExposerSlot() {
  static auto* slot = new std::unique_ptr<MetricsExposer>();
  return *slot;
}

class StopExposerAtEnd : public ::testing::Environment {
 public:
  void TearDown() override { ExposerSlot().reset(); }
};

[[maybe_unused]] ::testing::Environment* const kStopExposer =
    ::testing::AddGlobalTestEnvironment(new StopExposerAtEnd);

}  // namespace

const MetricsExposer& SharedExposer() {
  std::unique_ptr<MetricsExposer>& slot = ExposerSlot();
  if (slot == nullptr) {
    absl::StatusOr<std::unique_ptr<MetricsExposer>> started = MetricsExposer::Start("127.0.0.1:0");
    if (!started.ok()) {
      fprintf(stderr, "cannot start the test exposer: %s\n", started.status().ToString().c_str());
      std::abort();
    }
    slot = *std::move(started);
  }
  return *slot;
}

std::optional<prometheus::ClientMetric> FindSeries(prometheus::Registry& registry,
                                                   const std::string& name,
                                                   const prometheus::Labels& labels) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) {
      continue;
    }
    for (const prometheus::ClientMetric& metric : family.metric) {
      prometheus::Labels found;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        found[label.name] = label.value;
      }
      if (found == labels) {
        return metric;
      }
    }
  }
  return std::nullopt;
}

}  // namespace hotline::metrics::testing
