#pragma once

// The callback rules (domain.md, "Callbacks and surveys"), pure:
//  - every repair, complaint and tip-off report is called back once
//    resolved; an anonymous report is not;
//  - attempts are at least `spacing` apart; a task becomes unreachable only
//    after `before_unreachable` unanswered attempts, each at least `spacing`
//    after the attempt counted before it; every attempt is kept;
//  - an answered call ends with the customer's answer: satisfied or basically
//    satisfied and solved closes the matter, anything else reopens it;
//  - a named reporter's contact is shown to the discipline role only.
// A task is an unmasked hotline.survey.v1.CallbackTask as stored.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/survey/v1/events.pb.h"
#include "hotline/survey/v1/survey.pb.h"
#include "libs/auth/role.h"

namespace hotline::survey {

struct AttemptRules {
  absl::Duration spacing = absl::Minutes(15);
  int before_unreachable = 3;
  absl::Duration lease = absl::Minutes(10);
};

enum class CallbackNeed {
  kCall,       // a repair, complaint or named report
  kNotCalled,  // an anonymous report: the ticket closes without a callback
  kNone,       // another type: not surveyed
};

CallbackNeed NeedOf(common::v1::TicketType type, bool anonymous);

// A new open task, due `within` after `scheduled_at`.
v1::CallbackTask NewTask(const std::string& task_id, const std::string& ticket_id,
                         const std::string& ticket_number, common::v1::TicketType type,
                         const std::string& branch_id, const common::v1::CustomerContact& customer,
                         absl::Time scheduled_at, absl::Duration within);

// Whether a live lease of someone other than `agent` holds the task at `now`.
bool LeasedByOther(const v1::CallbackTask& task, const std::string& agent, absl::Time now);
// Leases the task to `agent` from `now`.
void Lease(v1::CallbackTask& task, const std::string& agent, absl::Time now,
           const AttemptRules& rules);

// Adds an attempt by `agent` at `at`. FAILED_PRECONDITION when the task is
// not open, another agent's lease holds it, or the last attempt was less
// than `spacing` before. An unanswered attempt gives the task back (no
// lease) until the spacing has passed, or makes it unreachable; an answered
// one keeps it with the agent for the answer.
absl::Status AddAttempt(v1::CallbackTask& task, v1::AttemptResult result, absl::Time at,
                        const std::string& agent, const std::string& note,
                        const AttemptRules& rules);

// The unanswered attempts that count towards unreachable: from the first,
// each at least `spacing` after the last one counted.
int CountedUnanswered(const v1::CallbackTask& task, absl::Duration spacing);

// Records the customer's answer (validated: satisfaction set, the
// template's questions answered) taken by `agent` at `at`.
// FAILED_PRECONDITION when the task is not open, another agent's lease holds
// it, or its last attempt was not an answered call by `agent`.
absl::Status AddAnswer(v1::CallbackTask& task, v1::Answer answer, absl::Time at,
                       const std::string& agent);

// SATISFIED for (basically) satisfied and solved; DISSATISFIED otherwise.
v1::CallbackOutcome OutcomeOf(const v1::Answer& answer);
// The outcome of a completed task (answered or unreachable); UNSPECIFIED
// while open.
v1::CallbackOutcome OutcomeOf(const v1::CallbackTask& task);

// Whether the task's customer is a named reporter, and whether `role` sees
// one unmasked (discipline only, as in intake).
bool HasReporterIdentity(const v1::CallbackTask& task);
constexpr bool SeesReporterIdentity(auth::Role role) { return role == auth::Role::kDiscipline; }
// The task as `role` may see it: a named reporter's name and phone masked
// (libs/text/masking.h) and customer_masked set for every role but discipline.
v1::CallbackTask Presented(v1::CallbackTask task, auth::Role role);

// The event of a task that ended (callback.completed) or was scheduled.
v1::CallbackEvent MakeCallbackEvent(const v1::CallbackTask& task, const std::string& order_id,
                                    absl::Time at);

}  // namespace hotline::survey
