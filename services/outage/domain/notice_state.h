#pragma once

// The life of an outage notice: published (scheduled), started, restored as
// a whole or place by place, amended, cancelled; and the suspected fault
// outage proposed from grouped repair calls, confirmed or dismissed by a
// dispatcher. Each move takes the notice as it is and returns it changed,
// with `version` one higher, or refuses:
//   FAILED_PRECONDITION  the move makes no sense in the notice's state
//                        (restore before the start, amend after the restore,
//                        cancel an active notice, confirm what is not proposed)
//   INVALID_ARGUMENT     a value of the move is wrong (a restore time before
//                        the start, a place that is not the notice's), naming
//                        the request's field
// The voice text is not touched (VoiceText, after the move). Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/outage/v1/outage.pb.h"
#include "services/outage/domain/notice_rules.h"

namespace hotline::outage {

// The reported start, or the planned start when none was reported.
absl::Time EffectiveStart(const v1::OutageNotice& notice);

// Scheduled or active: it may cover places.
bool IsOpen(const v1::OutageNotice& notice);

// Takes power from its unrestored places at `at`: active, or scheduled with
// its planned start at or before `at`.
bool InEffect(const v1::OutageNotice& notice, absl::Time at);

// The notice as published at `now` by `principal`: id, state SCHEDULED,
// published_at, published_by, version 1, timeliness from the rules (keeping
// the input's late_reason). Read-only fields of `input` are cleared first.
// The input must have passed ValidatePublish.
v1::OutageNotice PublishedNotice(const NoticeRules& rules, v1::OutageNotice input,
                                 std::string notice_id, std::string principal, absl::Time now);

// A suspected fault outage proposed from repair calls: state PROPOSED, kind
// FAULT, the place of the calls as its only place, planned start at the
// first call, planned restore unknown (unset), version 1.
v1::OutageNotice ProposedNotice(v1::SuspectedFault suspected, std::string notice_id,
                                absl::Time now);

// The actual start. Only a scheduled notice; `started_at` not after `now`.
absl::StatusOr<v1::OutageNotice> StartedNotice(const v1::OutageNotice& notice,
                                               absl::Time started_at, absl::Time now);

// The places a restore names; none named: the whole notice.
struct RestorePlaces {
  std::vector<common::v1::Address> areas;
  std::vector<std::string> transformer_areas;
  std::vector<std::string> feeders;

  bool Whole() const { return areas.empty() && transformer_areas.empty() && feeders.empty(); }
};

struct RestoreOutcome {
  v1::OutageNotice notice;
  // Every place is now restored (state RESTORED, restored_at set).
  bool whole = false;
  // The places this restore gave power back to: those named, or every place
  // not restored before when none were named.
  RestorePlaces restored;
};

// Power back at `restored_at`, for the named places (each one of the
// notice's, not restored before, named once; an area matches when every
// area part is equal as NormalizeAddressText compares, an id when equal
// normalised) or for all. An active notice, or a scheduled one in effect
// (its planned start at or before `now`; its start is then taken as the
// planned start and set as started_at); any other is FAILED_PRECONDITION.
// `restored_at` not before the effective start, not after `now`
// (INVALID_ARGUMENT "restored_at: ...").
// Places restored while others are still off are added to restored_places
// (as the notice spells them) with `restored_at`, and the notice is active;
// the restore that leaves no place off makes it RESTORED with restored_at
// and adds nothing to restored_places: a place not listed there came back
// at the notice's restored_at.
absl::StatusOr<RestoreOutcome> RestoredNotice(const v1::OutageNotice& notice,
                                              const RestorePlaces& places, absl::Time restored_at,
                                              absl::Time now);

// Called off: a scheduled notice not yet in effect at `now`, or a proposal
// (dismissed). `reason` is kept as cancel_reason.
absl::StatusOr<v1::OutageNotice> CancelledNotice(const v1::OutageNotice& notice, std::string reason,
                                                 absl::Time now);

struct AmendOutcome {
  v1::OutageNotice notice;
  AmendmentTerms terms;
  // The dedicated-transformer and important customers, when terms.NeedsNotice().
  std::vector<v1::DirectCustomer> to_tell;
};

// New planned times: the start only while scheduled, the restore while
// scheduled or active. The restore must stay after the start; a reason is
// needed when the terms need notice; at least one time must change.
absl::StatusOr<AmendOutcome> AmendedNotice(const NoticeRules& rules, const v1::OutageNotice& notice,
                                           std::optional<absl::Time> new_start,
                                           std::optional<absl::Time> new_restore,
                                           std::string reason, absl::Time now);

// A proposal confirmed: state ACTIVE, started at the first call (planned
// start too), the restore, work, person and phone from the request (the
// restore after the start).
absl::StatusOr<v1::OutageNotice> ConfirmedNotice(const v1::OutageNotice& notice,
                                                 const v1::ConfirmNoticeRequest& request,
                                                 absl::Time now);

}  // namespace hotline::outage
