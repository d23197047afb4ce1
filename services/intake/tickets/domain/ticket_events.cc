#include "services/intake/tickets/domain/ticket_events.h"

#include <algorithm>

#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/text/masking.h"
#include "services/intake/tickets/domain/reporter_masking.h"

namespace hotline::intake {

v1::TicketCreated MakeTicketCreated(const v1::Ticket& ticket) {
  v1::TicketCreated event;
  event.set_ticket_id(ticket.ticket_id());
  event.set_ticket_number(ticket.ticket_number());
  event.set_type(ticket.type());
  event.set_channel(ticket.channel());
  *event.mutable_customer() = ticket.customer();
  *event.mutable_address() = ticket.address();
  event.set_description(ticket.description());
  *event.mutable_created_at() = ticket.created_at();
  event.set_urgency(ticket.urgency());
  const v1::TicketDetails& details = ticket.details();
  switch (details.kind_case()) {
    case v1::TicketDetails::kRepair: {
      const v1::RepairDetails& repair = details.repair();
      event.set_fault_scope(repair.fault_scope());
      event.set_equipment_owner(repair.equipment_owner());
      event.set_wants_paid_service(repair.wants_paid_service());
      event.set_repair_symptom(EnumText(repair.symptom()));
      event.set_fault_extent(EnumText(repair.extent()));
      event.set_fault_category(EnumText(repair.fault_category()));
      break;
    }
    case v1::TicketDetails::kComplaint:
      event.set_complaint_category(EnumText(details.complaint().category()));
      break;
    case v1::TicketDetails::kReport: {
      event.set_report_subject(EnumText(details.report().subject()));
      event.set_reporter_identity_withheld(true);
      event.clear_customer();
      if (!details.report().anonymous()) {
        event.mutable_customer()->set_name(text::MaskName(details.report().reporter().name()));
        event.mutable_customer()->set_phone(text::MaskPhone(details.report().reporter().phone()));
      }
      break;
    }
    case v1::TicketDetails::kApplication:
      event.set_application_kind(EnumText(details.application().kind()));
      break;
    default:
      break;
  }
  for (const v1::Deadline& deadline : ticket.deadlines()) {
    if (deadline.kind() == v1::DEADLINE_KIND_SEND_ORDER) {
      *event.mutable_send_order_due_at() = deadline.due_at();
    }
  }
  return event;
}

v1::TicketUrged MakeTicketUrged(const v1::Ticket& urged, absl::Time urged_at) {
  v1::TicketUrged event;
  event.set_ticket_id(urged.ticket_id());
  event.set_urgings(urged.urgings());
  event.set_urgency(urged.urgency());
  *event.mutable_urged_at() = ToProtoTime(urged_at);
  return event;
}

v1::TicketCancelled MakeTicketCancelled(const v1::Ticket& ticket, absl::Time cancelled_at) {
  v1::TicketCancelled event;
  event.set_ticket_id(ticket.ticket_id());
  event.set_reason(ticket.cancel_reason());
  *event.mutable_cancelled_at() = ToProtoTime(cancelled_at);
  return event;
}

v1::TicketResolved MakeTicketResolved(const v1::Ticket& ticket, const Resolution& resolution) {
  v1::TicketResolved event;
  event.set_ticket_id(ticket.ticket_id());
  event.set_ticket_number(ticket.ticket_number());
  event.set_type(ticket.type());
  if (ticket.details().has_report()) {
    const v1::ReportDetails& report = ticket.details().report();
    event.set_anonymous(report.anonymous());
    if (!report.anonymous()) {
      event.mutable_customer()->set_name(report.reporter().name());
      event.mutable_customer()->set_phone(report.reporter().phone());
    }
  } else {
    *event.mutable_customer() = ticket.customer();
  }
  event.set_branch_id(resolution.branch_id);
  event.set_order_id(resolution.order_id);
  *event.mutable_resolved_at() = ToProtoTime(resolution.resolved_at);
  event.set_resolution(resolution.text);
  return event;
}

bool IsCalledBack(common::v1::TicketType type) {
  return type == common::v1::TICKET_TYPE_REPAIR || type == common::v1::TICKET_TYPE_COMPLAINT ||
         type == common::v1::TICKET_TYPE_REPORT;
}

std::vector<std::string> TicketDestinations::Created(common::v1::TicketType type) const {
  std::vector<std::string> to = routed;
  if (type == common::v1::TICKET_TYPE_REPAIR) {
    for (const std::string& destination : repair_created) {
      if (std::find(to.begin(), to.end(), destination) == to.end()) {
        to.push_back(destination);
      }
    }
  }
  return to;
}

std::vector<std::string> TicketDestinations::Urged(common::v1::TicketType type,
                                                   bool with_dispatch) const {
  std::vector<std::string> to;
  if (with_dispatch) {
    to.push_back("dispatch");
  }
  if (type == common::v1::TICKET_TYPE_REPAIR) {
    for (const std::string& destination : repair_created) {
      if (std::find(to.begin(), to.end(), destination) == to.end()) {
        to.push_back(destination);
      }
    }
  }
  return to;
}

std::vector<std::string> TicketDestinations::Resolved(common::v1::TicketType type) const {
  if (!IsCalledBack(type)) {
    return {};
  }
  return resolved;
}

std::vector<std::string> TicketDestinations::All() const {
  std::vector<std::string> all = Created(common::v1::TICKET_TYPE_REPAIR);
  for (const std::string& destination : resolved) {
    if (std::find(all.begin(), all.end(), destination) == all.end()) {
      all.push_back(destination);
    }
  }
  return all;
}

TicketDestinations MakeTicketDestinations(bool with_outage, bool with_survey) {
  TicketDestinations destinations;
  if (!with_outage) {
    destinations.repair_created.clear();
  }
  if (!with_survey) {
    destinations.resolved.clear();
  }
  return destinations;
}

}  // namespace hotline::intake
