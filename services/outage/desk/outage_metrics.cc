#include "services/outage/desk/outage_metrics.h"

#include <map>

#include "libs/metrics/registry.h"
#include "libs/proto_enum/enum_text.h"
#include "services/outage/domain/notice_state.h"

namespace hotline::outage {
namespace {

// Every kind has a gauge from the start, so a dashboard sees 0, not nothing.
constexpr v1::OutageKind kKinds[] = {v1::OUTAGE_KIND_PLANNED, v1::OUTAGE_KIND_TEMPORARY,
                                     v1::OUTAGE_KIND_ORDERLY_USE, v1::OUTAGE_KIND_OTHER_UNPLANNED,
                                     v1::OUTAGE_KIND_FAULT};

}  // namespace

OutageMetrics::OutageMetrics(prometheus::Registry& registry)
    : notices_(metrics::CounterFamily(
          "hotline_outage_notices_total",
          "Outage notices published, by kind and whether in time for the kind's lead.", registry)),
      active_(metrics::GaugeFamily("hotline_outage_active", "Outage notices in effect, by kind.",
                                   registry)),
      customers_affected_(metrics::GaugeFamily("hotline_outage_customers_affected",
                                               "Customers of the outage notices in effect.",
                                               registry)
                              .Add({})),
      customer_hours_(metrics::CounterFamily(
                          "hotline_outage_customer_hours_total",
                          "Outage customer-hours (customers x hours without power), counted as "
                          "notices are restored.",
                          registry)
                          .Add({})),
      checks_(metrics::CounterFamily("hotline_outage_checks_total",
                                     "Address checks against outage notices, by result.",
                                     registry)) {
  for (v1::OutageKind kind : kKinds) {
    active_.Add({{"kind", EnumText(kind)}}).Set(0);
    // At 0 from the start, so that Prometheus' increase() sees the first
    // (late) notice of a kind too.
    notices_.Add({{"kind", EnumText(kind)}, {"on_time", "true"}});
    notices_.Add({{"kind", EnumText(kind)}, {"on_time", "false"}});
  }
  const char* names[] = {"affected", "upcoming", "clear", "unknown_account"};
  for (int i = 0; i < 4; ++i) {
    check_results_[i] = &checks_.Add({{"result", names[i]}});
  }
}

void OutageMetrics::Published(const v1::OutageNotice& notice) {
  notices_
      .Add({{"kind", EnumText(notice.kind())},
            {"on_time", notice.timeliness().late() ? "false" : "true"}})
      .Increment();
}

void OutageMetrics::CustomerHours(double hours) {
  if (hours > 0) {
    customer_hours_.Increment(hours);
  }
}

void OutageMetrics::Checked(CheckResult result) {
  check_results_[static_cast<int>(result)]->Increment();
}

void OutageMetrics::SetOpen(const std::vector<v1::OutageNotice>& open, absl::Time now) {
  std::map<v1::OutageKind, int> active;
  int64_t customers = 0;
  for (const v1::OutageNotice& notice : open) {
    if (InEffect(notice, now)) {
      ++active[notice.kind()];
      customers += notice.customers_affected();
    }
  }
  for (v1::OutageKind kind : kKinds) {
    active_.Add({{"kind", EnumText(kind)}}).Set(active[kind]);
  }
  customers_affected_.Set(static_cast<double>(customers));
}

}  // namespace hotline::outage
