#pragma once

// The checks of the outage RPCs' requests, before anything is read or
// stored: INVALID_ARGUMENT naming the field ("notice.kind: required",
// "notice.areas[1]: names no area"). Checks that need the stored notice (its
// state, its places) are the state machine's (notice_state.h). Pure.

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "hotline/outage/v1/outage.pb.h"
#include "services/outage/domain/notice_rules.h"

namespace hotline::outage {

// A known kind; at least one place (area, transformer area or feeder); each
// area names at least one level and nothing below the village (no street,
// landmark, feeder or transformer area); no place twice (compared
// normalised); planned start and restore given, in range,
// the restore after the start; the person in charge and a valid phone (a
// notice of kind FAULT may leave both out); each direct customer with a name
// and a valid phone, a dedicated transformer with capacity_kva >= 315; and
// when the notice is late for its kind at `now`, a late reason.
absl::Status ValidatePublish(const v1::PublishNoticeRequest& request, const NoticeRules& rules,
                             absl::Time now);
// ValidatePublish in two halves: everything but the late reason (before the
// idempotency key is looked up, so a retry is replayed, not refused as late
// by then), and the late reason at the time the notice is published.
absl::Status ValidatePublishShape(const v1::PublishNoticeRequest& request);
absl::Status ValidatePublishInTime(const v1::OutageNotice& notice, const NoticeRules& rules,
                                   absl::Time now);

// The checks below look at the request alone: its times for their range;
// that a started_at or restored_at is not after now, or not before the
// notice's start, is the state machine's check.
absl::Status ValidateAmend(const v1::AmendNoticeRequest& request);
absl::Status ValidateCancel(const v1::CancelNoticeRequest& request);
absl::Status ValidateStart(const v1::StartNoticeRequest& request);
absl::Status ValidateRestore(const v1::RestoreNoticeRequest& request);
absl::Status ValidateConfirm(const v1::ConfirmNoticeRequest& request);
absl::Status ValidateGet(const v1::GetNoticeRequest& request);
// An address with at least one part, an account number or a transformer area.
absl::Status ValidateCheck(const v1::CheckAddressRequest& request);
absl::Status ValidateList(const v1::ListNoticesRequest& request);
absl::Status ValidateReliability(const v1::GetReliabilityRequest& request);

}  // namespace hotline::outage
