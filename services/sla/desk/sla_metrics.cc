#include "services/sla/desk/sla_metrics.h"

#include <google/protobuf/descriptor.h>

#include "libs/metrics/registry.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::sla {

SlaMetrics::SlaMetrics(prometheus::Registry& registry)
    : open_(metrics::GaugeFamily("hotline_sla_open_clocks",
                                 "Deadline clocks running or paused, by stage.", registry)),
      overdue_(metrics::GaugeFamily(
          "hotline_sla_overdue_clocks",
          "Open deadline clocks past their due time, by responsible unit.", registry)),
      warnings_(metrics::CounterFamily("hotline_sla_warnings_total",
                                       "Warnings fired before a deadline, by stage.", registry)),
      breaches_(metrics::CounterFamily(
          "hotline_sla_breaches_total",
          "Deadline clocks that passed their due time, by stage and ticket type.", registry)),
      met_(metrics::CounterFamily("hotline_sla_met_total",
                                  "Deadline clocks stopped in time, by stage and ticket type.",
                                  registry)),
      escalations_(metrics::CounterFamily(
          "hotline_sla_escalations_total",
          "Urgings (level urging) and supervision cases (level supervision) opened.", registry)) {
  // Every series exists at 0 from the start, so rate() and increase() count the
  // first warning, breach or met clock of each stage and type after a restart.
  const google::protobuf::EnumDescriptor* stages = v1::Stage_descriptor();
  const google::protobuf::EnumDescriptor* types = common::v1::TicketType_descriptor();
  for (int i = 0; i < stages->value_count(); ++i) {
    const auto stage = static_cast<v1::Stage>(stages->value(i)->number());
    if (stage == v1::STAGE_UNSPECIFIED) {
      continue;
    }
    warnings_.Add({{"stage", EnumText(stage)}});
    for (int j = 0; j < types->value_count(); ++j) {
      const auto type = static_cast<common::v1::TicketType>(types->value(j)->number());
      if (type == common::v1::TICKET_TYPE_UNSPECIFIED) {
        continue;
      }
      const prometheus::Labels labels = {{"stage", EnumText(stage)}, {"type", EnumText(type)}};
      breaches_.Add(labels);
      met_.Add(labels);
    }
  }
  escalations_.Add({{"level", EnumText(v1::ACTION_KIND_URGING)}});
  escalations_.Add({{"level", EnumText(v1::ACTION_KIND_SUPERVISION)}});
}

void SlaMetrics::Fired(const v1::SlaAction& action) {
  const v1::Clock& clock = action.clock();
  switch (action.kind()) {
    case v1::ACTION_KIND_WARNING:
      warnings_.Add({{"stage", EnumText(clock.stage())}}).Increment();
      break;
    case v1::ACTION_KIND_BREACH:
      breaches_.Add({{"stage", EnumText(clock.stage())}, {"type", EnumText(clock.ticket_type())}})
          .Increment();
      break;
    case v1::ACTION_KIND_URGING:
    case v1::ACTION_KIND_SUPERVISION:
      escalations_.Add({{"level", EnumText(action.kind())}}).Increment();
      break;
    default:
      break;
  }
}

void SlaMetrics::Stopped(const v1::Clock& clock) {
  // A clock that breached while running was counted when its breach fired;
  // one stopped late before the timer saw it is counted here.
  if (clock.escalation() >= v1::ESCALATION_BREACHED) {
    return;
  }
  const prometheus::Labels labels = {{"stage", EnumText(clock.stage())},
                                     {"type", EnumText(clock.ticket_type())}};
  if (clock.breached()) {
    breaches_.Add(labels).Increment();
  } else if (clock.stop_reason() == "met") {
    met_.Add(labels).Increment();
  }
}

void SlaMetrics::SetOpen(const std::vector<std::pair<v1::Stage, int64_t>>& open) {
  absl::MutexLock lock(&mu_);
  std::set<v1::Stage> now;
  for (const auto& [stage, count] : open) {
    open_.Add({{"stage", EnumText(stage)}}).Set(static_cast<double>(count));
    now.insert(stage);
  }
  for (v1::Stage stage : open_stages_) {
    if (now.count(stage) == 0) {
      open_.Add({{"stage", EnumText(stage)}}).Set(0);
    }
  }
  open_stages_ = std::move(now);
}

void SlaMetrics::SetOverdue(const std::vector<std::pair<std::string, int64_t>>& overdue) {
  absl::MutexLock lock(&mu_);
  std::set<std::string> now;
  for (const auto& [unit, count] : overdue) {
    overdue_.Add({{"unit", unit}}).Set(static_cast<double>(count));
    now.insert(unit);
  }
  for (const std::string& unit : overdue_units_) {
    if (now.count(unit) == 0) {
      overdue_.Add({{"unit", unit}}).Set(0);
    }
  }
  overdue_units_ = std::move(now);
}

}  // namespace hotline::sla
