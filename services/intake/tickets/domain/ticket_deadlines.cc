#include "services/intake/tickets/domain/ticket_deadlines.h"

namespace hotline::intake {

using common::v1::TicketStatus;
using common::v1::TicketType;
using intake::v1::DeadlineKind;

std::vector<TicketDeadline> DeadlinesFor(TicketType type, absl::Time created_at,
                                         const DeadlinePolicy& policy) {
  auto at = [&](DeadlineKind kind, absl::Duration limit) {
    TicketDeadline deadline;
    deadline.kind = kind;
    deadline.due_at = created_at + limit;
    return deadline;
  };
  switch (type) {
    case TicketType::TICKET_TYPE_REPAIR:
      return {at(v1::DEADLINE_KIND_SEND_ORDER, policy.repair_send_order)};
    case TicketType::TICKET_TYPE_CONSULTATION:
      return {at(v1::DEADLINE_KIND_SEND_ORDER, policy.consultation_send_order),
              at(v1::DEADLINE_KIND_RESULT, policy.inquiry_result)};
    case TicketType::TICKET_TYPE_QUERY:
      return {at(v1::DEADLINE_KIND_RESULT, policy.inquiry_result)};
    case TicketType::TICKET_TYPE_COMPLAINT:
      return {at(v1::DEADLINE_KIND_RESULT, policy.complaint_result)};
    case TicketType::TICKET_TYPE_REPORT:
      return {at(v1::DEADLINE_KIND_RESULT, policy.report_result)};
    case TicketType::TICKET_TYPE_APPLICATION:
      return {at(v1::DEADLINE_KIND_CONTACT, policy.application_contact)};
    default:
      return {};
  }
}

std::vector<DeadlineKind> DeadlinesMetAt(TicketStatus status) {
  switch (status) {
    case TicketStatus::TICKET_STATUS_DISPATCHED:
    case TicketStatus::TICKET_STATUS_ACCEPTED:
      return {v1::DEADLINE_KIND_SEND_ORDER};
    case TicketStatus::TICKET_STATUS_IN_PROGRESS:
      return {v1::DEADLINE_KIND_SEND_ORDER, v1::DEADLINE_KIND_CONTACT};
    case TicketStatus::TICKET_STATUS_RESOLVED:
    case TicketStatus::TICKET_STATUS_CALLBACK:
    case TicketStatus::TICKET_STATUS_CLOSED:
      return {v1::DEADLINE_KIND_SEND_ORDER, v1::DEADLINE_KIND_CONTACT, v1::DEADLINE_KIND_RESULT};
    default:
      return {};
  }
}

}  // namespace hotline::intake
