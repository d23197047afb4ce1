#pragma once

// The branch's report on an order (crew, departure, arrival, cause, estimated
// restore, completion, power restored): which step may come when, and with
// what times. Pure: the caller passes the current time.
//
// Order of steps (ProgressStep in dispatch.proto):
//   CREW_ASSIGNED -> DEPARTED -> ARRIVED -> CAUSE_FOUND / ESTIMATED_RESTORE
//   -> COMPLETED, and POWER_RESTORED any time after ARRIVED (before or after
//   COMPLETED). CREW_ASSIGNED may be repeated (a new crew) until DEPARTED;
//   CAUSE_FOUND and ESTIMATED_RESTORE may be revised until COMPLETED;
//   ESTIMATED_RESTORE needs only CREW_ASSIGNED. COMPLETED resolves the order.
//   Orders that are not repairs have no crew: they take COMPLETED alone
//   (with a note: the answer or result).
// Repeating a step with exactly the same content is accepted and changes
// nothing (a retried call).
//
// Errors: FAILED_PRECONDITION when the order's status or the steps so far do
// not allow the step; INVALID_ARGUMENT naming the field for a missing or bad
// field, a time in the future (beyond rules.clock_skew), a time before the
// dispatch or before the previous step, an estimate in the past.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/dispatch/domain/vocabulary.h"

namespace hotline::dispatch {

struct ProgressState {
  OrderStatus status = v1::ORDER_STATUS_UNSPECIFIED;
  bool repair = true;
  absl::Time dispatched_at;
  ProgressStep last_step = v1::PROGRESS_STEP_UNSPECIFIED;
  std::string crew_lead;
  std::string crew_phone;
  std::optional<absl::Time> departed_at;
  std::optional<absl::Time> arrived_at;
  std::string cause;
  FaultKind fault_kind = v1::FAULT_KIND_UNSPECIFIED;
  std::optional<absl::Time> estimated_restore_at;
  std::optional<absl::Time> completed_at;
  std::optional<absl::Time> power_restored_at;
  std::string note;
};

struct ProgressReport {
  ProgressStep step = v1::PROGRESS_STEP_UNSPECIFIED;
  std::optional<absl::Time> at;
  std::string crew_lead;
  std::string crew_phone;
  std::string cause;
  FaultKind fault_kind = v1::FAULT_KIND_UNSPECIFIED;
  std::optional<absl::Time> estimated_restore_at;
  std::string note;
};

struct ProgressRules {
  // How far a reported time may lie ahead of the server's clock (the
  // branch's clock may run a little fast), or before the dispatch.
  absl::Duration clock_skew = absl::Minutes(2);
};

struct ProgressResult {
  ProgressState state;    // after the step
  bool repeated = false;  // the same report again: nothing changed
  absl::Time step_at;     // when the step happened (`at`, or now for steps without one)
};

absl::StatusOr<ProgressResult> ApplyProgress(const ProgressState& state,
                                             const ProgressReport& report, absl::Time now,
                                             const ProgressRules& rules);

}  // namespace hotline::dispatch
