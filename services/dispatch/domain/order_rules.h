#pragma once

// Which moves an order's status allows, and what a return must say. Pure.
//
//   dispatched --ack--> accepted --progress--> in_progress --completed--> resolved
//   dispatched / accepted / in_progress --return--> dispatched (another branch)
//                                                   or with_dispatcher
//   any open status --ticket cancelled--> cancelled
//   with_dispatcher / not_dispatched / dispatched / accepted / in_progress
//     --reassign (dispatcher)--> dispatched
//   resolved --dissatisfied callback (survey)--> dispatched (the branch that
//     resolved it); the one move out of resolved

#include <string>

#include "absl/status/status.h"
#include "hotline/survey/v1/events.pb.h"
#include "services/dispatch/domain/vocabulary.h"

namespace hotline::dispatch {

// Open: not resolved, cancelled.
bool IsOpen(OrderStatus status);

// FAILED_PRECONDITION "<action>: the order is <status>" unless a branch may
// return an order in `status` (dispatched, accepted, in_progress).
absl::Status CheckReturnable(OrderStatus status);

// FAILED_PRECONDITION unless a dispatcher may reassign an order in `status`:
// any open status. Not an order that was not dispatched (a customer-owned
// fault): the customer was advised and intake answered the ticket, so it
// cannot follow the order any more; a paid job is a new ticket.
absl::Status CheckReassignable(OrderStatus status);

struct ReturnRequest {
  ReturnReason reason = v1::RETURN_REASON_UNSPECIFIED;
  std::string belongs_to;
  std::string customer_name;
  std::string customer_phone;
  std::string note;
  std::string idempotency_key;
};

// INVALID_ARGUMENT naming the field: reason required; belongs_to required
// (at most 200) unless the reason is customer_owned; customer_name and a
// valid customer_phone required for customer_owned; note at most 2000;
// idempotency_key at most 200.
absl::Status ValidateReturn(const ReturnRequest& request);

// What the customer said on the callback after the resolution (survey's
// callback.completed).
struct CallbackFacts {
  survey::v1::CallbackOutcome outcome = survey::v1::CALLBACK_OUTCOME_UNSPECIFIED;
  survey::v1::Satisfaction satisfaction = survey::v1::SATISFACTION_UNSPECIFIED;
  bool solved = false;
  std::string comment;  // the customer's words
};

struct CallbackDecision {
  bool reopen = false;
  // reopen: the order's reopened_reason, "callback: customer dissatisfied,
  // problem not solved: <comment>" (the parts that apply); otherwise why the
  // order stays as it is.
  std::string reason;
};

// Whether a finished callback sends the ticket's order, in `status` at
// `branch_id`, back to that branch. Only a DISSATISFIED outcome (the
// customer is dissatisfied, or the problem is not solved) does, and only for
// a resolved order: one sent back already and not resolved again, cancelled,
// or never dispatched stays as it is, so a second dissatisfied callback
// changes nothing more.
CallbackDecision DecideCallback(OrderStatus status, const std::string& branch_id,
                                const CallbackFacts& facts);

}  // namespace hotline::dispatch
