#include "services/dispatch/domain/progress.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/phone/phone_number.h"
#include "libs/proto_enum/enum_text.h"

namespace hotline::dispatch {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

absl::Status Precondition(ProgressStep step, absl::string_view rule) {
  return absl::FailedPreconditionError(absl::StrCat(EnumText(step), ": ", rule));
}

std::string When(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", t, absl::UTCTimeZone());
}

bool Blank(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

// `at` is required, not in the future, not before the dispatch, and not
// before `after` (the previous step) when given.
absl::Status CheckAt(const ProgressReport& report, absl::Time now, const ProgressState& state,
                     const ProgressRules& rules, std::optional<absl::Time> after,
                     absl::string_view after_what) {
  std::string step = EnumText(report.step);
  if (!report.at.has_value()) {
    return Invalid("at", absl::StrCat("required for ", step));
  }
  if (*report.at > now + rules.clock_skew) {
    return Invalid("at", absl::StrCat(When(*report.at), " is in the future"));
  }
  if (*report.at < state.dispatched_at - rules.clock_skew) {
    return Invalid("at", absl::StrCat(When(*report.at), " is before the order was dispatched (",
                                      When(state.dispatched_at), ")"));
  }
  if (after.has_value() && *report.at < *after) {
    return Invalid(
        "at", absl::StrCat(When(*report.at), " is before ", after_what, " (", When(*after), ")"));
  }
  return absl::OkStatus();
}

// Whether `report` repeats what `state` already holds for its step.
bool Repeats(const ProgressState& s, const ProgressReport& r) {
  switch (r.step) {
    case v1::PROGRESS_STEP_CREW_ASSIGNED:
      return !s.crew_lead.empty() && s.crew_lead == r.crew_lead && s.crew_phone == r.crew_phone;
    case v1::PROGRESS_STEP_DEPARTED:
      return s.departed_at.has_value() && s.departed_at == r.at;
    case v1::PROGRESS_STEP_ARRIVED:
      return s.arrived_at.has_value() && s.arrived_at == r.at;
    case v1::PROGRESS_STEP_CAUSE_FOUND:
      return !s.cause.empty() && s.cause == r.cause && s.fault_kind == r.fault_kind;
    case v1::PROGRESS_STEP_ESTIMATED_RESTORE:
      return s.estimated_restore_at.has_value() && s.estimated_restore_at == r.estimated_restore_at;
    case v1::PROGRESS_STEP_COMPLETED:
      return s.completed_at.has_value() && s.completed_at == r.at &&
             (r.note.empty() || r.note == s.note);
    case v1::PROGRESS_STEP_POWER_RESTORED:
      return s.power_restored_at.has_value() && s.power_restored_at == r.at;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<ProgressResult> ApplyProgress(const ProgressState& state,
                                             const ProgressReport& report, absl::Time now,
                                             const ProgressRules& rules) {
  const ProgressStep step = report.step;
  if (EnumText(step).empty()) {
    return Invalid("step",
                   "required: crew_assigned, departed, arrived, cause_found, "
                   "estimated_restore, completed or power_restored");
  }
  const OrderStatus status = state.status;
  if (status == v1::ORDER_STATUS_DISPATCHED) {
    return Precondition(step, "the order is not acknowledged yet: acknowledge it first");
  }
  if (status != v1::ORDER_STATUS_ACCEPTED && status != v1::ORDER_STATUS_IN_PROGRESS &&
      status != v1::ORDER_STATUS_RESOLVED) {
    return Precondition(step, absl::StrCat("the order is ", EnumText(status)));
  }
  ProgressResult result;
  result.state = state;
  result.step_at = report.at.value_or(now);
  if (Repeats(state, report)) {
    result.repeated = true;
    return result;
  }
  const bool resolved = state.completed_at.has_value();
  if (resolved && step != v1::PROGRESS_STEP_POWER_RESTORED) {
    return Precondition(step, "the order is already completed");
  }
  if (!state.repair && step != v1::PROGRESS_STEP_COMPLETED) {
    return Precondition(step, "the order is not a repair: report completed, with a note");
  }
  ProgressState& next = result.state;
  switch (step) {
    case v1::PROGRESS_STEP_CREW_ASSIGNED:
      if (state.departed_at.has_value()) {
        return Precondition(step, "the crew has already departed");
      }
      if (Blank(report.crew_lead) || report.crew_lead.size() > 100) {
        return Invalid("crew_lead", "required, at most 100 characters");
      }
      if (!phone::IsPersonalPhone(report.crew_phone)) {
        return Invalid("crew_phone", phone::kPersonalPhoneRule);
      }
      next.crew_lead = report.crew_lead;
      next.crew_phone = report.crew_phone;
      break;
    case v1::PROGRESS_STEP_DEPARTED:
      if (state.crew_lead.empty()) {
        return Precondition(step, "report crew_assigned first");
      }
      if (state.departed_at.has_value()) {
        return Precondition(step, "already reported");
      }
      if (absl::Status s = CheckAt(report, now, state, rules, std::nullopt, ""); !s.ok()) {
        return s;
      }
      next.departed_at = report.at;
      break;
    case v1::PROGRESS_STEP_ARRIVED:
      if (!state.departed_at.has_value()) {
        return Precondition(step, "report departed first");
      }
      if (state.arrived_at.has_value()) {
        return Precondition(step, "already reported");
      }
      if (absl::Status s = CheckAt(report, now, state, rules, state.departed_at, "the departure");
          !s.ok()) {
        return s;
      }
      next.arrived_at = report.at;
      break;
    case v1::PROGRESS_STEP_CAUSE_FOUND:
      if (!state.arrived_at.has_value()) {
        return Precondition(step, "report arrived first");
      }
      if (Blank(report.cause) || report.cause.size() > 500) {
        return Invalid("cause", "required, at most 500 characters");
      }
      if (EnumText(report.fault_kind).empty()) {
        return Invalid("fault_kind", "required");
      }
      next.cause = report.cause;
      next.fault_kind = report.fault_kind;
      break;
    case v1::PROGRESS_STEP_ESTIMATED_RESTORE:
      if (state.crew_lead.empty()) {
        return Precondition(step, "report crew_assigned first");
      }
      if (!report.estimated_restore_at.has_value()) {
        return Invalid("estimated_restore_at", "required for estimated_restore");
      }
      if (*report.estimated_restore_at < now - rules.clock_skew) {
        return Invalid("estimated_restore_at",
                       absl::StrCat(When(*report.estimated_restore_at), " is in the past"));
      }
      next.estimated_restore_at = report.estimated_restore_at;
      break;
    case v1::PROGRESS_STEP_COMPLETED:
      if (state.repair && !state.arrived_at.has_value()) {
        return Precondition(step, "report arrived first");
      }
      if (!state.repair && Blank(report.note)) {
        return Invalid("note", "required when completing an order that is not a repair");
      }
      if (absl::Status s = CheckAt(report, now, state, rules, state.arrived_at, "the arrival");
          !s.ok()) {
        return s;
      }
      next.completed_at = report.at;
      next.status = v1::ORDER_STATUS_RESOLVED;
      break;
    case v1::PROGRESS_STEP_POWER_RESTORED:
      if (!state.arrived_at.has_value()) {
        return Precondition(step, "report arrived first");
      }
      if (state.power_restored_at.has_value()) {
        return Precondition(step, "already reported");
      }
      if (absl::Status s = CheckAt(report, now, state, rules, state.arrived_at, "the arrival");
          !s.ok()) {
        return s;
      }
      next.power_restored_at = report.at;
      break;
    default:
      return Invalid("step", "unknown");
  }
  if (!report.note.empty()) {
    if (report.note.size() > 2000) {
      return Invalid("note", "at most 2000 characters");
    }
    next.note = report.note;
  }
  if (next.status != v1::ORDER_STATUS_RESOLVED) {
    next.status = v1::ORDER_STATUS_IN_PROGRESS;
  }
  next.last_step = step;
  return result;
}

}  // namespace hotline::dispatch
