#include "services/survey/domain/callback_rules.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/proto_time/proto_time.h"
#include "libs/text/masking.h"

namespace hotline::survey {
namespace {

using common::v1::TicketType;

absl::Status CheckOpenFor(const v1::CallbackTask& task, const std::string& agent, absl::Time at) {
  if (task.state() != v1::CALLBACK_STATE_OPEN) {
    return absl::FailedPreconditionError(absl::StrCat(
        "task_id: the callback of ticket ", task.ticket_number(), " is ",
        task.state() == v1::CALLBACK_STATE_ANSWERED ? "answered" : "unreachable", " already"));
  }
  if (LeasedByOther(task, agent, at)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "task_id: ", task.leased_by(), " is calling this customer (taken until ",
        absl::FormatTime("%H:%M:%S UTC", FromProtoTime(task.lease_until()), absl::UTCTimeZone()),
        ")"));
  }
  return absl::OkStatus();
}

bool Unanswered(v1::AttemptResult result) { return result != v1::ATTEMPT_RESULT_ANSWERED; }

}  // namespace

CallbackNeed NeedOf(TicketType type, bool anonymous) {
  switch (type) {
    case TicketType::TICKET_TYPE_REPAIR:
    case TicketType::TICKET_TYPE_COMPLAINT:
      return CallbackNeed::kCall;
    case TicketType::TICKET_TYPE_REPORT:
      return anonymous ? CallbackNeed::kNotCalled : CallbackNeed::kCall;
    default:
      return CallbackNeed::kNone;
  }
}

v1::CallbackTask NewTask(const std::string& task_id, const std::string& ticket_id,
                         const std::string& ticket_number, TicketType type,
                         const std::string& branch_id, const common::v1::CustomerContact& customer,
                         absl::Time scheduled_at, absl::Duration within) {
  v1::CallbackTask task;
  task.set_task_id(task_id);
  task.set_ticket_id(ticket_id);
  task.set_ticket_number(ticket_number);
  task.set_ticket_type(type);
  task.set_branch_id(branch_id);
  *task.mutable_customer() = customer;
  task.set_state(v1::CALLBACK_STATE_OPEN);
  *task.mutable_scheduled_at() = ToProtoTime(scheduled_at);
  *task.mutable_due_at() = ToProtoTime(scheduled_at + within);
  *task.mutable_next_attempt_at() = ToProtoTime(scheduled_at);
  return task;
}

bool LeasedByOther(const v1::CallbackTask& task, const std::string& agent, absl::Time now) {
  return !task.leased_by().empty() && task.leased_by() != agent &&
         FromProtoTime(task.lease_until()) > now;
}

void Lease(v1::CallbackTask& task, const std::string& agent, absl::Time now,
           const AttemptRules& rules) {
  task.set_leased_by(agent);
  *task.mutable_lease_until() = ToProtoTime(now + rules.lease);
}

absl::Status AddAttempt(v1::CallbackTask& task, v1::AttemptResult result, absl::Time at,
                        const std::string& agent, const std::string& note,
                        const AttemptRules& rules) {
  if (absl::Status open = CheckOpenFor(task, agent, at); !open.ok()) {
    return open;
  }
  if (task.attempts_size() > 0) {
    const absl::Time last = FromProtoTime(task.attempts(task.attempts_size() - 1).at());
    if (at - last < rules.spacing) {
      return absl::FailedPreconditionError(absl::StrCat(
          "task_id: the last attempt was ",
          absl::FormatDuration(absl::Floor(at - last, absl::Seconds(1))),
          " ago; attempts must be at least ", absl::FormatDuration(rules.spacing),
          " apart (the next from ",
          absl::FormatTime("%H:%M:%S UTC", last + rules.spacing, absl::UTCTimeZone()), ")"));
    }
  }
  v1::Attempt* attempt = task.add_attempts();
  attempt->set_number(task.attempts_size());
  attempt->set_result(result);
  *attempt->mutable_at() = ToProtoTime(at);
  attempt->set_agent(agent);
  attempt->set_note(note);
  *task.mutable_next_attempt_at() = ToProtoTime(at + rules.spacing);
  if (!Unanswered(result)) {
    Lease(task, agent, at, rules);
    return absl::OkStatus();
  }
  task.clear_leased_by();
  task.clear_lease_until();
  if (CountedUnanswered(task, rules.spacing) >= rules.before_unreachable) {
    task.set_state(v1::CALLBACK_STATE_UNREACHABLE);
    *task.mutable_completed_at() = ToProtoTime(at);
  }
  return absl::OkStatus();
}

int CountedUnanswered(const v1::CallbackTask& task, absl::Duration spacing) {
  int counted = 0;
  absl::Time last_counted = absl::InfinitePast();
  for (const v1::Attempt& attempt : task.attempts()) {
    if (!Unanswered(attempt.result())) {
      continue;
    }
    const absl::Time at = FromProtoTime(attempt.at());
    if (counted == 0 || at - last_counted >= spacing) {
      ++counted;
      last_counted = at;
    }
  }
  return counted;
}

absl::Status AddAnswer(v1::CallbackTask& task, v1::Answer answer, absl::Time at,
                       const std::string& agent) {
  if (absl::Status open = CheckOpenFor(task, agent, at); !open.ok()) {
    return open;
  }
  if (task.attempts_size() == 0 ||
      task.attempts(task.attempts_size() - 1).result() != v1::ATTEMPT_RESULT_ANSWERED) {
    return absl::FailedPreconditionError(
        "task_id: the last attempt was not answered: record the answered call "
        "(RecordAttempt, ANSWERED) before the answer");
  }
  const std::string& caller = task.attempts(task.attempts_size() - 1).agent();
  if (caller != agent) {
    return absl::FailedPreconditionError(absl::StrCat(
        "task_id: ", caller, " had the customer on the line: only they record the answer"));
  }
  *answer.mutable_answered_at() = ToProtoTime(at);
  answer.set_agent(agent);
  *task.mutable_answer() = std::move(answer);
  task.set_state(v1::CALLBACK_STATE_ANSWERED);
  *task.mutable_completed_at() = ToProtoTime(at);
  task.clear_leased_by();
  task.clear_lease_until();
  return absl::OkStatus();
}

v1::CallbackOutcome OutcomeOf(const v1::Answer& answer) {
  const bool pleased = answer.satisfaction() == v1::SATISFACTION_SATISFIED ||
                       answer.satisfaction() == v1::SATISFACTION_BASICALLY_SATISFIED;
  return pleased && answer.solved() ? v1::CALLBACK_OUTCOME_SATISFIED
                                    : v1::CALLBACK_OUTCOME_DISSATISFIED;
}

v1::CallbackOutcome OutcomeOf(const v1::CallbackTask& task) {
  switch (task.state()) {
    case v1::CALLBACK_STATE_ANSWERED:
      return OutcomeOf(task.answer());
    case v1::CALLBACK_STATE_UNREACHABLE:
      return v1::CALLBACK_OUTCOME_UNREACHABLE;
    default:
      return v1::CALLBACK_OUTCOME_UNSPECIFIED;
  }
}

bool HasReporterIdentity(const v1::CallbackTask& task) {
  return task.ticket_type() == TicketType::TICKET_TYPE_REPORT &&
         (!task.customer().name().empty() || !task.customer().phone().empty());
}

v1::CallbackTask Presented(v1::CallbackTask task, auth::Role role) {
  if (HasReporterIdentity(task) && !SeesReporterIdentity(role)) {
    common::v1::CustomerContact* customer = task.mutable_customer();
    customer->set_name(text::MaskName(customer->name()));
    customer->set_phone(text::MaskPhone(customer->phone()));
    customer->clear_account_number();
    task.set_customer_masked(true);
  }
  return task;
}

v1::CallbackEvent MakeCallbackEvent(const v1::CallbackTask& task, const std::string& order_id,
                                    absl::Time at) {
  v1::CallbackEvent event;
  event.set_task_id(task.task_id());
  event.set_ticket_id(task.ticket_id());
  event.set_ticket_number(task.ticket_number());
  event.set_ticket_type(task.ticket_type());
  event.set_branch_id(task.branch_id());
  event.set_order_id(order_id);
  event.set_outcome(OutcomeOf(task));
  if (task.state() == v1::CALLBACK_STATE_ANSWERED) {
    event.set_satisfaction(task.answer().satisfaction());
    event.set_solved(task.answer().solved());
    event.set_comment(task.answer().comment());
  }
  event.set_attempts(task.attempts_size());
  *event.mutable_occurred_at() = ToProtoTime(at);
  return event;
}

}  // namespace hotline::survey
