#pragma once

// Which moves an order's status allows, and what a return must say. Pure.
//
//   dispatched --ack--> accepted --progress--> in_progress --completed--> resolved
//   dispatched / accepted / in_progress --return--> dispatched (another branch)
//                                                   or with_dispatcher
//   any open status --ticket cancelled--> cancelled
//   with_dispatcher / not_dispatched / dispatched / accepted / in_progress
//     --reassign (dispatcher)--> dispatched

#include <string>

#include "absl/status/status.h"
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

}  // namespace hotline::dispatch
