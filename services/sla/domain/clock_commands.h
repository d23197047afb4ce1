#pragma once

// Which deadline clocks the events of intake and dispatch start and stop.
// Pure: an event in, the commands out; whether a clock runs is the desk's to
// know (a stop of a clock that does not run changes nothing).

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/dispatch/v1/events.pb.h"
#include "hotline/intake/v1/events.pb.h"
#include "hotline/sla/v1/sla.pb.h"

namespace hotline::sla {

struct ClockCommand {
  enum class Kind {
    kStart,
    kStop,
    kStopTicket,  // every running clock of the ticket
  };
  Kind kind = Kind::kStart;
  std::string ticket_id;  // every command's
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  std::string unit;  // "": the ticket's own clock of the stage
  absl::Time at;
  // Stops: met, returned, cancelled, not_dispatched.
  std::string reason;
  // Starts:
  std::string ticket_number;
  common::v1::TicketType ticket_type = common::v1::TICKET_TYPE_UNSPECIFIED;
  common::v1::AreaClass area_class = common::v1::AREA_CLASS_UNSPECIFIED;
  std::string superior_unit;
  // A unit clock that replaces the stage's clocks of other units (a
  // reassignment, a return that went to another branch): the desk stops them
  // ("reassigned") before it starts this one.
  bool supersedes_other_units = false;

  bool operator==(const ClockCommand& other) const = default;
};

// The topics of the events.
inline constexpr absl::string_view kTicketCreated = "ticket.created";
inline constexpr absl::string_view kTicketCancelled = "ticket.cancelled";
inline constexpr absl::string_view kOrderDispatched = "order.dispatched";
inline constexpr absl::string_view kOrderAccepted = "order.accepted";
inline constexpr absl::string_view kOrderProgress = "order.progress";
inline constexpr absl::string_view kOrderResolved = "order.resolved";
inline constexpr absl::string_view kOrderReturned = "order.returned";
inline constexpr absl::string_view kOrderNotDispatched = "order.not_dispatched";

// The stop reasons.
inline constexpr absl::string_view kReasonMet = "met";
inline constexpr absl::string_view kReasonReturned = "returned";
inline constexpr absl::string_view kReasonReassigned = "reassigned";
inline constexpr absl::string_view kReasonCancelled = "cancelled";
inline constexpr absl::string_view kReasonNotDispatched = "not_dispatched";
inline constexpr absl::string_view kReasonResolved = "resolved";

// The ticket's own clocks (unit ""), at created_at: repair: dispatch;
// consultation: consultation_dispatch and department_answer; query:
// department_answer; complaint: complaint_result; report: report_result;
// application: application_contact; and voicemail for any ticket left on
// the IVR voicemail channel.
std::vector<ClockCommand> CommandsForTicketCreated(const intake::v1::TicketCreated& event);

// Every running clock of the ticket stops, "cancelled", at cancelled_at.
std::vector<ClockCommand> CommandsForTicketCancelled(const intake::v1::TicketCancelled& event);

// The stage a ticket type's order is timed by at its branch: arrival for a
// repair, the result stage for the others (department_answer,
// complaint_result, report_result, application_contact); unspecified for a
// type whose order is not timed.
v1::Stage UnitStageOf(common::v1::TicketType type);

// The order topics (see dispatch/v1/events.proto for when each is sent):
//  order.dispatched to a branch (at occurred_at): the ticket's dispatch,
//    consultation_dispatch and voicemail clocks stop ("met"), and the type's
//    unit stage starts for the branch, superseding other units' clocks, with
//    the branch's superior as superior unit. To the dispatchers: nothing.
//  order.progress (at step_at, else occurred_at): step "arrived" stops the
//    branch's arrival clock ("met"); any step of an application stops its
//    application_contact clocks, the ticket's and the branch's ("met").
//  order.resolved (at step_at, else occurred_at): the branch's arrival clock
//    and the type's result stage, the ticket's and the branch's, stop ("met").
//  order.returned (at occurred_at): the unit stage of returned_by stops
//    ("returned"); an order that went on to another branch starts the stage
//    for it, superseding.
//  order.not_dispatched (at occurred_at): the ticket's dispatch clock stops
//    ("not_dispatched").
//  order.accepted and unknown topics: nothing.
std::vector<ClockCommand> CommandsForOrderEvent(absl::string_view topic,
                                                const dispatch::v1::OrderEvent& event);

}  // namespace hotline::sla
