#pragma once

// The timeliness rules of outage notices (domain.md, "Outage notices"): how
// long before its start each kind of notice must be published, and how much
// notice an earlier start or a later restore needs. Every figure is a setting
// (outage_settings). Pure.

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hotline/outage/v1/outage.pb.h"

namespace hotline::outage {

struct NoticeRules {
  absl::Duration planned_lead = absl::Hours(7 * 24);        // 计划检修
  absl::Duration temporary_lead = absl::Hours(2 * 24);      // 临时检修
  absl::Duration orderly_use_lead = absl::Hours(24);        // 有序用电
  absl::Duration other_unplanned_lead = absl::Minutes(30);  // arrears, emergency limiting
  absl::Duration fault_lead = absl::ZeroDuration();         // as soon as it is known
  // Starting earlier or restoring later than announced.
  absl::Duration amend_lead = absl::Hours(1);

  // The lead a kind needs; zero for OUTAGE_KIND_UNSPECIFIED or an unknown value.
  absl::Duration RequiredLead(v1::OutageKind kind) const;
};

// Whether a notice published at `published_at` for a start at
// `planned_start` is in time: given lead = planned_start - published_at; late
// when it is less than the kind's lead (exactly the lead is in time), with
// shortfall = required - given (left unset when in time). A kind whose lead is
// zero (a fault: as soon as it is known) is never late, even when published
// after its start (given lead negative). `late_reason` is copied in.
v1::Timeliness PublishTimeliness(const NoticeRules& rules, v1::OutageKind kind,
                                 absl::Time published_at, absl::Time planned_start,
                                 absl::string_view late_reason);

// What an amendment made at `now` asks for. An earlier start needs
// rules.amend_lead before the new start; a later restore needs it before the
// restore time announced so far. When both move, the smaller lead given
// counts. Moves the other way (a later start, an earlier restore) need none.
struct AmendmentTerms {
  bool earlier_start = false;
  bool later_restore = false;
  // Set when earlier_start or later_restore (required_lead = amend_lead);
  // otherwise left empty.
  v1::Timeliness timeliness;

  // An earlier start or a later restore: a reason is needed, and the
  // notice's dedicated-transformer and important customers must be told.
  bool NeedsNotice() const { return earlier_start || later_restore; }
};

AmendmentTerms AmendmentTermsOf(const NoticeRules& rules, const v1::OutageNotice& current,
                                std::optional<absl::Time> new_start,
                                std::optional<absl::Time> new_restore, absl::Time now);

}  // namespace hotline::outage
