#pragma once

// A ticket's deadlines, as intake shows them. The sla service is where
// deadlines live (working days, public holidays, make-up working days, its
// policies): intake asks it for a new ticket's due times
// (store/sla_deadlines.h) and then follows sla's clock events ("sla.clock")
// for the ticket's own clocks (unit ""). What is left here is which of
// sla's stages intake shows as which DeadlineKind, when a ticket's status
// meets a kind, and how sla's actions ("sla.action") read in the ticket's
// history. Pure.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/intake/v1/intake.pb.h"
#include "hotline/sla/v1/sla.pb.h"

namespace hotline::intake {

// The topics of sla's events intake subscribes to
// (proto/hotline/sla/v1/events.proto).
inline constexpr char kSlaClockTopic[] = "sla.clock";    // payload sla.v1.ClockChanged
inline constexpr char kSlaActionTopic[] = "sla.action";  // payload sla.v1.ActionFired

struct TicketDeadline {
  intake::v1::DeadlineKind kind = intake::v1::DEADLINE_KIND_UNSPECIFIED;
  absl::Time due_at;
};

// The kind intake shows a stage of sla as:
//   dispatch, consultation_dispatch                       -> SEND_ORDER
//   department_answer, complaint_result, report_result    -> RESULT
//   application_contact                                   -> CONTACT
// Other stages (arrival, customer_reply, voicemail) are not ticket
// deadlines: nullopt.
std::optional<intake::v1::DeadlineKind> DeadlineKindOf(sla::v1::Stage stage);

// Whether a routed ticket of `type` goes through a stage shown as a
// deadline (repair, consultation, query, complaint, report, application),
// i.e. whether intake asks sla for its deadlines at all. Suggestions, praise
// and urgings have none: they are never "pending" either, since no clock of
// sla would ever end the wait.
bool TypeHasDeadlines(common::v1::TicketType type);

// sla's quote (ComputeDeadlines' answer, the ticket's own clocks) as
// intake's deadlines: stages that are not shown are dropped; of two stages
// shown as one kind the earlier due time is kept. Sorted by due time, then
// kind. Due times are truncated to microseconds (what PostgreSQL keeps).
std::vector<TicketDeadline> DeadlinesOfQuote(
    const google::protobuf::RepeatedPtrField<sla::v1::StageDeadline>& quote);

// The deadline a clock of sla sets on its ticket: only the ticket's own
// clock of a stage (unit "") shown as a kind, with a due time; otherwise
// nullopt (a unit's clock, a stage not shown).
std::optional<TicketDeadline> DeadlineOfClock(const sla::v1::Clock& clock);

// The deadline kinds a ticket has met once it reaches `status`:
// send_order once the branch has the order (accepted and beyond: sla's
// dispatch clock runs until the acknowledgement); contact at in_progress and beyond;
// result at resolved and beyond (resolved, callback, closed).
std::vector<intake::v1::DeadlineKind> DeadlinesMetAt(common::v1::TicketStatus status);

// The history detail of one of sla's actions, e.g.
//   "warning: stage dispatch, the ticket's own clock; 80% of 5m used;
//    at 2026-11-23 10:04 (Asia/Shanghai)"
//   "supervision: stage arrival, unit BR-9, to shift_leader, BR-ROOT;
//    30m past due; at 2026-11-23 11:30 (Asia/Shanghai)"
// with the time in `zone` (the province's, whatever the machine's zone).
std::string DescribeSlaAction(const sla::v1::SlaAction& action, absl::TimeZone zone);

}  // namespace hotline::intake
