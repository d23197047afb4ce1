#include "services/intake/tickets/domain/order_event_rules.h"

#include "absl/strings/str_cat.h"
#include "services/intake/tickets/domain/ticket_state_machine.h"

namespace hotline::intake {
namespace {

using common::v1::TicketStatus;

struct TopicTarget {
  const char* topic;
  TicketStatus target;
};

constexpr TopicTarget kTargets[] = {
    {"order.dispatched", TicketStatus::TICKET_STATUS_DISPATCHED},
    {"order.accepted", TicketStatus::TICKET_STATUS_ACCEPTED},
    {"order.progress", TicketStatus::TICKET_STATUS_IN_PROGRESS},
    {"order.resolved", TicketStatus::TICKET_STATUS_RESOLVED},
    {"order.returned", TicketStatus::TICKET_STATUS_RETURNED},
    {"order.not_dispatched", TicketStatus::TICKET_STATUS_ANSWERED},
};

}  // namespace

const std::vector<std::string>& OrderEventTopics() {
  static const std::vector<std::string> kTopics = [] {
    std::vector<std::string> topics;
    for (const TopicTarget& t : kTargets) {
      topics.push_back(t.topic);
    }
    return topics;
  }();
  return kTopics;
}

OrderEventDecision DecideOrderEvent(TicketStatus current, std::optional<int64_t> last_applied,
                                    absl::string_view topic, int64_t sequence, bool with_dispatcher,
                                    bool reopened_by_callback) {
  OrderEventDecision decision;
  std::optional<TicketStatus> target;
  for (const TopicTarget& t : kTargets) {
    if (topic == t.topic) {
      target = t.target;
    }
  }
  if (!target.has_value()) {
    decision.reason = absl::StrCat("unknown topic ", topic);
    return decision;
  }
  if (sequence > 0 && last_applied.has_value() && sequence < *last_applied) {
    decision.reason = absl::StrCat(topic, " (sequence ", sequence,
                                   ") was written before the newest order event applied (",
                                   *last_applied, "): late, not applied");
    return decision;
  }
  if (reopened_by_callback && *target == TicketStatus::TICKET_STATUS_DISPATCHED &&
      (current == TicketStatus::TICKET_STATUS_RESOLVED ||
       current == TicketStatus::TICKET_STATUS_CALLBACK)) {
    decision.kind = OrderEventDecision::Kind::kApply;
    if (current == TicketStatus::TICKET_STATUS_RESOLVED) {
      decision.path.push_back(TicketStatus::TICKET_STATUS_CALLBACK);
    }
    decision.path.push_back(TicketStatus::TICKET_STATUS_REOPENED);
    decision.path.push_back(TicketStatus::TICKET_STATUS_DISPATCHED);
    return decision;
  }
  if (current == *target ||
      (*target == TicketStatus::TICKET_STATUS_DISPATCHED && with_dispatcher)) {
    decision.kind = OrderEventDecision::Kind::kRecordOnly;
    return decision;
  }
  if (TicketStateMachine::Allows(current, *target)) {
    decision.kind = OrderEventDecision::Kind::kApply;
    decision.path = {*target};
    return decision;
  }
  constexpr TicketStatus kRerouted = TicketStatus::TICKET_STATUS_REROUTED;
  if (TicketStateMachine::Allows(current, kRerouted) &&
      TicketStateMachine::Allows(kRerouted, *target)) {
    decision.kind = OrderEventDecision::Kind::kApply;
    decision.path = {kRerouted, *target};
    return decision;
  }
  decision.reason = absl::StrCat("ticket is ", StatusName(current), "; ", topic, " would make it ",
                                 StatusName(*target), ", which is not a move forward");
  return decision;
}

}  // namespace hotline::intake
