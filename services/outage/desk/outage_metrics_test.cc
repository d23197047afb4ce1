// The published-notices counter that the late-notice alert reads
// (deploy/prometheus/rules/alerts.yml, HotlineOutageNoticeLate).

#include "services/outage/desk/outage_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <string>

namespace hotline::outage {
namespace {

// The value of hotline_outage_notices_total{kind, on_time}, or -1 when there
// is no such series.
double Notices(prometheus::Registry& registry, const std::string& kind,
               const std::string& on_time) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != "hotline_outage_notices_total") {
      continue;
    }
    for (const prometheus::ClientMetric& metric : family.metric) {
      int matched = 0;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        matched += (label.name == "kind" && label.value == kind) ||
                   (label.name == "on_time" && label.value == on_time);
      }
      if (matched == 2) {
        return metric.counter.value;
      }
    }
  }
  return -1;
}

TEST(OutageMetricsTest, ALateNoticeCountsAsNotOnTimeFromASeriesThatWasThereAtZero) {
  prometheus::Registry registry;
  OutageMetrics metrics(registry);
  // Before any notice, so that Prometheus' increase() sees the first one.
  EXPECT_EQ(Notices(registry, "planned", "false"), 0);
  EXPECT_EQ(Notices(registry, "planned", "true"), 0);
  EXPECT_EQ(Notices(registry, "fault", "true"), 0);

  v1::OutageNotice late;
  late.set_kind(v1::OUTAGE_KIND_PLANNED);
  late.mutable_timeliness()->set_late(true);
  metrics.Published(late);
  v1::OutageNotice on_time;
  on_time.set_kind(v1::OUTAGE_KIND_PLANNED);
  metrics.Published(on_time);
  metrics.Published(on_time);

  EXPECT_EQ(Notices(registry, "planned", "false"), 1);
  EXPECT_EQ(Notices(registry, "planned", "true"), 2);
  EXPECT_EQ(Notices(registry, "temporary", "false"), 0);
}

}  // namespace
}  // namespace hotline::outage
