// sla's counters exist at 0 from the start: Prometheus' rate() and increase()
// only count what happens after a series' first sample, so a series born with
// its first breach would hide that breach from the rules and alerts.

#include "services/sla/desk/sla_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <string>

namespace hotline::sla {
namespace {

// The value of the series `name` with exactly `labels`, or -1 when it does not exist.
double Value(prometheus::Registry& registry, const std::string& name,
             const prometheus::Labels& labels) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) {
      continue;
    }
    for (const prometheus::ClientMetric& metric : family.metric) {
      prometheus::Labels got;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        got[label.name] = label.value;
      }
      if (got == labels) {
        return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                              : metric.gauge.value;
      }
    }
  }
  return -1;
}

TEST(SlaMetricsTest, BreachMetAndEscalationSeriesExistAtZeroBeforeTheFirstClock) {
  prometheus::Registry registry;
  SlaMetrics metrics(registry);
  EXPECT_EQ(
      Value(registry, "hotline_sla_breaches_total", {{"stage", "arrival"}, {"type", "repair"}}), 0);
  EXPECT_EQ(Value(registry, "hotline_sla_met_total",
                  {{"stage", "complaint_result"}, {"type", "complaint"}}),
            0);
  EXPECT_EQ(Value(registry, "hotline_sla_warnings_total", {{"stage", "dispatch"}}), 0);
  EXPECT_EQ(Value(registry, "hotline_sla_escalations_total", {{"level", "urging"}}), 0);
  EXPECT_EQ(Value(registry, "hotline_sla_escalations_total", {{"level", "supervision"}}), 0);
  EXPECT_EQ(
      Value(registry, "hotline_sla_breaches_total", {{"stage", "unspecified"}, {"type", "repair"}}),
      -1);
}

TEST(SlaMetricsTest, ABreachMovesItsSeriesFromZero) {
  prometheus::Registry registry;
  SlaMetrics metrics(registry);
  v1::SlaAction action;
  action.set_kind(v1::ACTION_KIND_BREACH);
  action.mutable_clock()->set_stage(v1::STAGE_ARRIVAL);
  action.mutable_clock()->set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
  metrics.Fired(action);
  EXPECT_EQ(
      Value(registry, "hotline_sla_breaches_total", {{"stage", "arrival"}, {"type", "repair"}}), 1);
  EXPECT_EQ(
      Value(registry, "hotline_sla_breaches_total", {{"stage", "dispatch"}, {"type", "repair"}}),
      0);
}

}  // namespace
}  // namespace hotline::sla
