// Call metrics take their queue label from the telephony side's input; only
// the configured queues become labels, so a CTI that sends a new queue name
// on every call cannot grow the series without bound.

#include "services/intake/calls/desk/call_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace hotline::intake {
namespace {

// The value of the series `name`{queue=`queue`} (a counter or gauge), or -1.
double Value(prometheus::Registry& registry, const std::string& name, const std::string& queue) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) {
      continue;
    }
    for (const prometheus::ClientMetric& metric : family.metric) {
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        if (label.name == "queue" && label.value == queue) {
          return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                                : metric.gauge.value;
        }
      }
    }
  }
  return -1;
}

// How many distinct queue labels the series `name` has.
size_t QueueLabels(prometheus::Registry& registry, const std::string& name) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name == name) {
      return family.metric.size();
    }
  }
  return 0;
}

TEST(CallMetricsTest, OnlyConfiguredQueuesBecomeLabelsTheRestCountAsOther) {
  prometheus::Registry registry;
  CallMetrics metrics(registry, {"repair", "billing"});
  for (int i = 0; i < 100; ++i) {
    CallCounts counts;
    counts.queue = i < 3 ? "repair" : absl::StrCat("made-up-", i);
    counts.channel = "phone";
    counts.offered = true;
    metrics.Count(counts);
  }
  EXPECT_EQ(Value(registry, "hotline_calls_offered_total", "repair"), 3);
  EXPECT_EQ(Value(registry, "hotline_calls_offered_total", "other"), 97);
  EXPECT_EQ(Value(registry, "hotline_calls_offered_total", "made-up-50"), -1);
  EXPECT_EQ(QueueLabels(registry, "hotline_calls_offered_total"), 2u);

  // The waiting gauge: unknown queues add up under "other".
  LiveQueue a{"made-up-a", {{"c1", absl::UnixEpoch()}, {"c2", absl::UnixEpoch()}}, {}};
  LiveQueue b{"made-up-b", {{"c3", absl::UnixEpoch()}}, {}};
  LiveQueue repair{"repair", {{"c4", absl::UnixEpoch()}}, {}};
  metrics.SetLive({a, b, repair});
  EXPECT_EQ(Value(registry, "hotline_calls_waiting", "other"), 3);
  EXPECT_EQ(Value(registry, "hotline_calls_waiting", "repair"), 1);
  metrics.SetLive({});
  EXPECT_EQ(Value(registry, "hotline_calls_waiting", "other"), 0);
}

// Prometheus' rate() counts only what a series gained after it first saw it:
// the answer rate's series are there at 0 before the first call.
TEST(CallMetricsTest, AnswerRateSeriesExistAtZeroBeforeTheFirstCall) {
  prometheus::Registry registry;
  CallMetrics metrics(registry, {"repair", "billing"});
  EXPECT_EQ(Value(registry, "hotline_calls_agent_requested_total", "repair"), 0);
  EXPECT_EQ(Value(registry, "hotline_calls_agent_requested_total", "other"), 0);
  EXPECT_EQ(QueueLabels(registry, "hotline_calls_agent_requested_total"), 3u);
  // agent and ivr for each of repair, billing and other.
  EXPECT_EQ(QueueLabels(registry, "hotline_calls_answered_total"), 6u);

  CallCounts counts;
  counts.queue = "repair";
  counts.channel = "phone";
  counts.offered = true;
  counts.asked_for_agent = true;
  metrics.Count(counts);
  EXPECT_EQ(Value(registry, "hotline_calls_agent_requested_total", "repair"), 1);
  EXPECT_EQ(QueueLabels(registry, "hotline_calls_agent_requested_total"), 3u);
}

}  // namespace
}  // namespace hotline::intake
