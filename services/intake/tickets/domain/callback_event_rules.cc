#include "services/intake/tickets/domain/callback_event_rules.h"

#include "absl/strings/str_cat.h"
#include "services/intake/tickets/domain/ticket_state_machine.h"

namespace hotline::intake {
namespace {

using common::v1::TicketStatus;

constexpr TicketStatus kResolved = TicketStatus::TICKET_STATUS_RESOLVED;
constexpr TicketStatus kCallback = TicketStatus::TICKET_STATUS_CALLBACK;

CallbackEventDecision Ignore(std::string reason) {
  CallbackEventDecision decision;
  decision.reason = std::move(reason);
  return decision;
}

CallbackEventDecision Apply(std::vector<TicketStatus> path) {
  CallbackEventDecision decision;
  decision.kind = CallbackEventDecision::Kind::kApply;
  decision.path = std::move(path);
  return decision;
}

// " (2 attempts)"; "" when survey counted none.
std::string Attempts(int attempts) {
  if (attempts <= 0) {
    return "";
  }
  return absl::StrCat(" (", attempts, attempts == 1 ? " attempt)" : " attempts)");
}

// "customer dissatisfied, problem not solved: <comment>": what the customer
// said.
std::string Answer(const survey::v1::CallbackEvent& callback) {
  std::string text;
  switch (callback.satisfaction()) {
    case survey::v1::SATISFACTION_SATISFIED:
      text = "customer satisfied";
      break;
    case survey::v1::SATISFACTION_BASICALLY_SATISFIED:
      text = "customer basically satisfied";
      break;
    case survey::v1::SATISFACTION_DISSATISFIED:
      text = "customer dissatisfied";
      break;
    default:
      text = callback.outcome() == survey::v1::CALLBACK_OUTCOME_SATISFIED ? "customer satisfied"
                                                                          : "customer dissatisfied";
      break;
  }
  // SATISFIED means solved; DISSATISFIED may be a solved problem with a
  // service the customer did not like.
  if (callback.outcome() == survey::v1::CALLBACK_OUTCOME_SATISFIED) {
    absl::StrAppend(&text, ", problem solved");
  } else if (!callback.solved()) {
    absl::StrAppend(&text, ", problem not solved");
  }
  if (!callback.comment().empty()) {
    absl::StrAppend(&text, ": ", callback.comment());
  }
  return text;
}

}  // namespace

const std::vector<std::string>& CallbackEventTopics() {
  static const std::vector<std::string> kTopics = {kCallbackScheduledTopic,
                                                   kCallbackCompletedTopic};
  return kTopics;
}

CallbackEventDecision DecideCallbackEvent(TicketStatus current, std::optional<int64_t> last_applied,
                                          absl::string_view topic, int64_t sequence,
                                          const survey::v1::CallbackEvent& callback) {
  const bool scheduled = topic == kCallbackScheduledTopic;
  if (!scheduled && topic != kCallbackCompletedTopic) {
    return Ignore(absl::StrCat("unknown topic ", topic));
  }
  if (sequence > 0 && last_applied.has_value() && sequence < *last_applied) {
    return Ignore(absl::StrCat(topic, " (sequence ", sequence,
                               ") was written before the newest callback event applied (",
                               *last_applied, "): late, not applied"));
  }
  if (scheduled) {
    if (current == kResolved) {
      return Apply({kCallback});
    }
    if (current == kCallback) {
      return Ignore("the ticket is waiting for its callback already");
    }
    return Ignore(absl::StrCat("ticket is ", StatusName(current),
                               "; a callback is scheduled only for a resolved ticket"));
  }

  TicketStatus target = TicketStatus::TICKET_STATUS_UNSPECIFIED;
  switch (callback.outcome()) {
    case survey::v1::CALLBACK_OUTCOME_SATISFIED:
    case survey::v1::CALLBACK_OUTCOME_UNREACHABLE:
    case survey::v1::CALLBACK_OUTCOME_NOT_CALLED:
      target = TicketStatus::TICKET_STATUS_CLOSED;
      break;
    case survey::v1::CALLBACK_OUTCOME_DISSATISFIED:
      target = TicketStatus::TICKET_STATUS_REOPENED;
      break;
    default:
      return Ignore("the callback's outcome is not given");
  }
  if (current == kCallback) {
    return Apply({target});
  }
  if (current == kResolved) {
    // No callback was made, so the ticket never waited for one.
    if (callback.outcome() == survey::v1::CALLBACK_OUTCOME_NOT_CALLED) {
      return Apply({target});
    }
    return Apply({kCallback, target});
  }
  return Ignore(absl::StrCat("ticket is ", StatusName(current),
                             "; a callback ends only a resolved ticket or one waiting for it"));
}

std::string DescribeCallback(absl::string_view topic, const survey::v1::CallbackEvent& callback) {
  if (topic == kCallbackScheduledTopic) {
    return callback.task_id().empty()
               ? "callback scheduled"
               : absl::StrCat("callback scheduled (task ", callback.task_id(), ")");
  }
  switch (callback.outcome()) {
    case survey::v1::CALLBACK_OUTCOME_SATISFIED:
    case survey::v1::CALLBACK_OUTCOME_DISSATISFIED:
      return absl::StrCat("callback: ", Answer(callback), Attempts(callback.attempts()));
    case survey::v1::CALLBACK_OUTCOME_UNREACHABLE:
      return callback.attempts() > 0
                 ? absl::StrCat("callback: customer unreachable after ", callback.attempts(),
                                callback.attempts() == 1 ? " attempt" : " attempts")
                 : "callback: customer unreachable";
    case survey::v1::CALLBACK_OUTCOME_NOT_CALLED:
      return callback.ticket_type() == common::v1::TICKET_TYPE_REPORT
                 ? "no callback: anonymous report"
                 : "no callback";
    default:
      return absl::StrCat(topic, ": no outcome");
  }
}

}  // namespace hotline::intake
