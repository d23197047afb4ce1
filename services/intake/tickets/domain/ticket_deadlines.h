#pragma once

// The deadlines a routed ticket carries, from domain.md's defaults. Each is
// created_at plus a plain duration: working-day arithmetic (public holidays,
// make-up working days) belongs to the sla service, so "2 working days" is
// configured here as a plain 48 h. Tickets answered at once, linked to an
// outage, or recorded as urgings carry none. Pure.

#include <vector>

#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/intake/v1/intake.pb.h"

namespace hotline::intake {

// Every limit is a setting (ticket_settings.h).
struct DeadlinePolicy {
  absl::Duration repair_send_order = absl::Minutes(5);        // repair order sent to the branch
  absl::Duration consultation_send_order = absl::Minutes(5);  // complex consultation passed on
  absl::Duration inquiry_result = absl::Hours(48);       // department's answer: consultation, query
  absl::Duration complaint_result = absl::Hours(48);     // complaint result from the department
  absl::Duration report_result = absl::Hours(9 * 24);    // tip-off report result
  absl::Duration application_contact = absl::Hours(72);  // branch contacts the applicant
};

struct TicketDeadline {
  intake::v1::DeadlineKind kind = intake::v1::DEADLINE_KIND_UNSPECIFIED;
  absl::Time due_at;
};

// The deadlines of a routed ticket of `type` created at `created_at`:
//   repair: send_order; consultation: send_order and result; query: result;
//   complaint: result; report: result; application: contact;
//   suggestion, praise, urging: none.
std::vector<TicketDeadline> DeadlinesFor(common::v1::TicketType type, absl::Time created_at,
                                         const DeadlinePolicy& policy);

// The deadline kinds a ticket has met once it reaches `status`:
// send_order at dispatched and beyond; contact at in_progress and beyond;
// result at resolved and beyond (resolved, callback, closed).
std::vector<intake::v1::DeadlineKind> DeadlinesMetAt(common::v1::TicketStatus status);

}  // namespace hotline::intake
