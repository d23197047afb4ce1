#include "services/sla/domain/clock_commands.h"

#include "libs/proto_time/proto_time.h"

namespace hotline::sla {
namespace {

using common::v1::TicketType;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return TruncateToMicros(FromProtoTime(t));
}

// A step's own time when the branch gave one, else when dispatch heard of it.
absl::Time StepTime(const dispatch::v1::OrderEvent& event) {
  return OptionalFromProtoTime(event.step_at()).value_or(TimeOf(event.occurred_at()));
}

// The stage whose result a department or branch owes for a ticket type.
v1::Stage ResultStageOf(TicketType type) {
  switch (type) {
    case common::v1::TICKET_TYPE_CONSULTATION:
    case common::v1::TICKET_TYPE_QUERY:
      return v1::STAGE_DEPARTMENT_ANSWER;
    case common::v1::TICKET_TYPE_COMPLAINT:
      return v1::STAGE_COMPLAINT_RESULT;
    case common::v1::TICKET_TYPE_REPORT:
      return v1::STAGE_REPORT_RESULT;
    case common::v1::TICKET_TYPE_APPLICATION:
      return v1::STAGE_APPLICATION_CONTACT;
    default:
      return v1::STAGE_UNSPECIFIED;
  }
}

ClockCommand Stop(const std::string& ticket_id, v1::Stage stage, const std::string& unit,
                  absl::Time at, absl::string_view reason) {
  ClockCommand command;
  command.kind = ClockCommand::Kind::kStop;
  command.ticket_id = ticket_id;
  command.stage = stage;
  command.unit = unit;
  command.at = at;
  command.reason = std::string(reason);
  return command;
}

// The unit clock of an order's branch, replacing other units' clocks of the
// stage.
ClockCommand StartForBranch(const dispatch::v1::OrderEvent& event, v1::Stage stage, absl::Time at) {
  ClockCommand command;
  command.kind = ClockCommand::Kind::kStart;
  command.ticket_id = event.ticket_id();
  command.stage = stage;
  command.unit = event.branch_id();
  command.at = at;
  command.ticket_number = event.ticket_number();
  command.ticket_type = event.ticket_type();
  command.area_class = event.area_class();
  command.superior_unit = event.superior_branch_id();
  command.supersedes_other_units = true;
  return command;
}

std::vector<ClockCommand> ForDispatched(const dispatch::v1::OrderEvent& event) {
  if (event.branch_id().empty() || event.with_dispatcher()) {
    return {};
  }
  absl::Time at = TimeOf(event.occurred_at());
  // A voicemail is handled once it is passed on; the order counts as sent
  // when the branch acknowledges it (AcknowledgedStops).
  std::vector<ClockCommand> commands = {
      Stop(event.ticket_id(), v1::STAGE_VOICEMAIL, "", at, kReasonMet),
  };
  if (v1::Stage stage = UnitStageOf(event.ticket_type()); stage != v1::STAGE_UNSPECIFIED) {
    commands.push_back(StartForBranch(event, stage, at));
  }
  return commands;
}

// An order is sent when its branch has it: acknowledged, or (should the
// acknowledgement come late) reporting on it.
std::vector<ClockCommand> AcknowledgedStops(const dispatch::v1::OrderEvent& event, absl::Time at) {
  if (event.branch_id().empty()) {
    return {};
  }
  return {Stop(event.ticket_id(), v1::STAGE_DISPATCH, "", at, kReasonMet),
          Stop(event.ticket_id(), v1::STAGE_CONSULTATION_DISPATCH, "", at, kReasonMet)};
}

std::vector<ClockCommand> ForProgress(const dispatch::v1::OrderEvent& event) {
  absl::Time at = StepTime(event);
  std::vector<ClockCommand> commands = AcknowledgedStops(event, at);
  if (event.progress_step() == "arrived" && !event.branch_id().empty()) {
    commands.push_back(
        Stop(event.ticket_id(), v1::STAGE_ARRIVAL, event.branch_id(), at, kReasonMet));
  }
  if (event.ticket_type() == common::v1::TICKET_TYPE_APPLICATION) {
    commands.push_back(Stop(event.ticket_id(), v1::STAGE_APPLICATION_CONTACT, "", at, kReasonMet));
    if (!event.branch_id().empty()) {
      commands.push_back(Stop(event.ticket_id(), v1::STAGE_APPLICATION_CONTACT, event.branch_id(),
                              at, kReasonMet));
    }
  }
  return commands;
}

std::vector<ClockCommand> ForResolved(const dispatch::v1::OrderEvent& event) {
  absl::Time at = StepTime(event);
  std::vector<ClockCommand> commands = AcknowledgedStops(event, at);
  if (!event.branch_id().empty()) {
    commands.push_back(
        Stop(event.ticket_id(), v1::STAGE_ARRIVAL, event.branch_id(), at, kReasonMet));
  }
  if (v1::Stage stage = ResultStageOf(event.ticket_type()); stage != v1::STAGE_UNSPECIFIED) {
    commands.push_back(Stop(event.ticket_id(), stage, "", at, kReasonMet));
    if (!event.branch_id().empty()) {
      commands.push_back(Stop(event.ticket_id(), stage, event.branch_id(), at, kReasonMet));
    }
  }
  return commands;
}

std::vector<ClockCommand> ForReturned(const dispatch::v1::OrderEvent& event) {
  v1::Stage stage = UnitStageOf(event.ticket_type());
  if (stage == v1::STAGE_UNSPECIFIED) {
    return {};
  }
  absl::Time at = TimeOf(event.occurred_at());
  std::vector<ClockCommand> commands;
  if (!event.returned_by().empty()) {
    commands.push_back(Stop(event.ticket_id(), stage, event.returned_by(), at, kReasonReturned));
  }
  if (!event.branch_id().empty() && !event.with_dispatcher()) {
    commands.push_back(StartForBranch(event, stage, at));
  }
  return commands;
}

}  // namespace

v1::Stage UnitStageOf(TicketType type) {
  if (type == common::v1::TICKET_TYPE_REPAIR) {
    return v1::STAGE_ARRIVAL;
  }
  return ResultStageOf(type);
}

std::vector<ClockCommand> CommandsForTicketCreated(const intake::v1::TicketCreated& event) {
  std::vector<v1::Stage> stages;
  switch (event.type()) {
    case common::v1::TICKET_TYPE_REPAIR:
      stages = {v1::STAGE_DISPATCH};
      break;
    case common::v1::TICKET_TYPE_CONSULTATION:
      stages = {v1::STAGE_CONSULTATION_DISPATCH, v1::STAGE_DEPARTMENT_ANSWER};
      break;
    case common::v1::TICKET_TYPE_QUERY:
      stages = {v1::STAGE_DEPARTMENT_ANSWER};
      break;
    case common::v1::TICKET_TYPE_COMPLAINT:
      stages = {v1::STAGE_COMPLAINT_RESULT};
      break;
    case common::v1::TICKET_TYPE_REPORT:
      stages = {v1::STAGE_REPORT_RESULT};
      break;
    case common::v1::TICKET_TYPE_APPLICATION:
      stages = {v1::STAGE_APPLICATION_CONTACT};
      break;
    default:
      break;
  }
  if (event.channel() == common::v1::CHANNEL_IVR_VOICEMAIL) {
    stages.push_back(v1::STAGE_VOICEMAIL);
  }
  std::vector<ClockCommand> commands;
  for (v1::Stage stage : stages) {
    ClockCommand command;
    command.kind = ClockCommand::Kind::kStart;
    command.ticket_id = event.ticket_id();
    command.stage = stage;
    command.at = TimeOf(event.created_at());
    command.ticket_number = event.ticket_number();
    command.ticket_type = event.type();
    command.area_class = event.address().area_class();
    commands.push_back(std::move(command));
  }
  return commands;
}

std::vector<ClockCommand> CommandsForTicketCancelled(const intake::v1::TicketCancelled& event) {
  ClockCommand command;
  command.kind = ClockCommand::Kind::kStopTicket;
  command.ticket_id = event.ticket_id();
  command.at = TimeOf(event.cancelled_at());
  command.reason = std::string(kReasonCancelled);
  return {command};
}

std::vector<ClockCommand> CommandsForOrderEvent(absl::string_view topic,
                                                const dispatch::v1::OrderEvent& event) {
  if (topic == kOrderDispatched) {
    return ForDispatched(event);
  }
  if (topic == kOrderAccepted) {
    return AcknowledgedStops(event, TimeOf(event.occurred_at()));
  }
  if (topic == kOrderProgress) {
    return ForProgress(event);
  }
  if (topic == kOrderResolved) {
    return ForResolved(event);
  }
  if (topic == kOrderReturned) {
    return ForReturned(event);
  }
  if (topic == kOrderNotDispatched) {
    return {Stop(event.ticket_id(), v1::STAGE_DISPATCH, "", TimeOf(event.occurred_at()),
                 kReasonNotDispatched)};
  }
  return {};  // topics this service does not know
}

}  // namespace hotline::sla
