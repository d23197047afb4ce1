#pragma once

// The requests of hotline.sla.v1.SlaTracker checked and turned into the
// desk's values. Pure. Errors are INVALID_ARGUMENT naming the field as the
// request spells it ("clock.stage: required", "started_at: ...").

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/sla/v1/sla.pb.h"
#include "services/sla/domain/clock_state.h"
#include "services/sla/store/clock_store.h"

namespace hotline::sla {

// Client times: in [2000, 2100) and at most `skew` ahead of `now`.
struct TimeRule {
  absl::Time now;
  absl::Duration skew;
};

absl::StatusOr<ClockStart> StartFromProto(const v1::StartClockRequest& request,
                                          const TimeRule& rule);
// ticket_id (a UUID) and stage (a known stage) required; unit at most 64 characters.
absl::Status ValidateClockRef(const v1::ClockRef& ref);
// The request's time, or `rule.now` when unset.
absl::StatusOr<absl::Time> TimeOrNow(absl::string_view field, const google::protobuf::Timestamp& at,
                                     const TimeRule& rule);
absl::StatusOr<store::OverdueFilter> OverdueFilterFromProto(const v1::ListOverdueRequest& request);
// 0 (the default) to 500.
absl::Status ValidatePageSize(const common::v1::PageRequest& page);
absl::Status ValidateTicketId(absl::string_view field, absl::string_view id);
// A region or unit name: at most 64 characters.
absl::Status ValidateName(absl::string_view field, absl::string_view name);
// The stage a request names, which may be unset only where `optional`.
absl::Status ValidateStage(absl::string_view field, v1::Stage stage, bool optional);

}  // namespace hotline::sla
