#include "services/outage/domain/notice_rules.h"

#include <algorithm>
#include <string>

#include "libs/proto_time/proto_time.h"

namespace hotline::outage {
namespace {

// A zero lead means "as soon as it is known": nothing can be late for it.
v1::Timeliness TimelinessOf(absl::Duration required, absl::Duration given,
                            absl::string_view late_reason) {
  v1::Timeliness out;
  const bool late = required > absl::ZeroDuration() && given < required;
  out.set_late(late);
  *out.mutable_required_lead() = ToProtoDuration(required);
  *out.mutable_given_lead() = ToProtoDuration(given);
  if (late) {
    *out.mutable_shortfall() = ToProtoDuration(required - given);
  }
  out.set_late_reason(std::string(late_reason));
  return out;
}

}  // namespace

absl::Duration NoticeRules::RequiredLead(v1::OutageKind kind) const {
  switch (kind) {
    case v1::OUTAGE_KIND_PLANNED:
      return planned_lead;
    case v1::OUTAGE_KIND_TEMPORARY:
      return temporary_lead;
    case v1::OUTAGE_KIND_ORDERLY_USE:
      return orderly_use_lead;
    case v1::OUTAGE_KIND_OTHER_UNPLANNED:
      return other_unplanned_lead;
    case v1::OUTAGE_KIND_FAULT:
      return fault_lead;
    default:
      return absl::ZeroDuration();
  }
}

v1::Timeliness PublishTimeliness(const NoticeRules& rules, v1::OutageKind kind,
                                 absl::Time published_at, absl::Time planned_start,
                                 absl::string_view late_reason) {
  return TimelinessOf(rules.RequiredLead(kind), planned_start - published_at, late_reason);
}

AmendmentTerms AmendmentTermsOf(const NoticeRules& rules, const v1::OutageNotice& current,
                                std::optional<absl::Time> new_start,
                                std::optional<absl::Time> new_restore, absl::Time now) {
  AmendmentTerms terms;
  const absl::Time start = FromProtoTime(current.planned_start());
  const std::optional<absl::Time> restore = OptionalFromProtoTime(current.planned_restore());
  absl::Duration given = absl::InfiniteDuration();
  if (new_start.has_value() && *new_start < start) {
    terms.earlier_start = true;
    given = std::min(given, *new_start - now);
  }
  if (new_restore.has_value() && restore.has_value() && *new_restore > *restore) {
    terms.later_restore = true;
    given = std::min(given, *restore - now);
  }
  if (terms.NeedsNotice()) {
    terms.timeliness = TimelinessOf(rules.amend_lead, given, "");
  }
  return terms;
}

}  // namespace hotline::outage
