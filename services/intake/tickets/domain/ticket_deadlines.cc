#include "services/intake/tickets/domain/ticket_deadlines.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"

namespace hotline::intake {

using common::v1::TicketStatus;
using common::v1::TicketType;
using intake::v1::DeadlineKind;

std::optional<DeadlineKind> DeadlineKindOf(sla::v1::Stage stage) {
  switch (stage) {
    case sla::v1::STAGE_DISPATCH:
    case sla::v1::STAGE_CONSULTATION_DISPATCH:
      return v1::DEADLINE_KIND_SEND_ORDER;
    case sla::v1::STAGE_DEPARTMENT_ANSWER:
    case sla::v1::STAGE_COMPLAINT_RESULT:
    case sla::v1::STAGE_REPORT_RESULT:
      return v1::DEADLINE_KIND_RESULT;
    case sla::v1::STAGE_APPLICATION_CONTACT:
      return v1::DEADLINE_KIND_CONTACT;
    default:
      return std::nullopt;
  }
}

bool TypeHasDeadlines(TicketType type) {
  switch (type) {
    case TicketType::TICKET_TYPE_REPAIR:
    case TicketType::TICKET_TYPE_CONSULTATION:
    case TicketType::TICKET_TYPE_QUERY:
    case TicketType::TICKET_TYPE_COMPLAINT:
    case TicketType::TICKET_TYPE_REPORT:
    case TicketType::TICKET_TYPE_APPLICATION:
      return true;
    default:
      return false;
  }
}

std::vector<TicketDeadline> DeadlinesOfQuote(
    const google::protobuf::RepeatedPtrField<sla::v1::StageDeadline>& quote) {
  std::vector<TicketDeadline> out;
  for (const sla::v1::StageDeadline& stage : quote) {
    std::optional<DeadlineKind> kind = DeadlineKindOf(stage.stage());
    if (!kind.has_value() || !stage.has_due_at()) {
      continue;
    }
    const absl::Time due = TruncateToMicros(FromProtoTime(stage.due_at()));
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const TicketDeadline& d) { return d.kind == *kind; });
    if (same == out.end()) {
      out.push_back(TicketDeadline{*kind, due});
    } else {
      same->due_at = std::min(same->due_at, due);
    }
  }
  std::sort(out.begin(), out.end(), [](const TicketDeadline& a, const TicketDeadline& b) {
    return a.due_at != b.due_at ? a.due_at < b.due_at : a.kind < b.kind;
  });
  return out;
}

std::optional<TicketDeadline> DeadlineOfClock(const sla::v1::Clock& clock) {
  if (!clock.unit().empty() || !clock.has_due_at()) {
    return std::nullopt;
  }
  std::optional<DeadlineKind> kind = DeadlineKindOf(clock.stage());
  if (!kind.has_value()) {
    return std::nullopt;
  }
  return TicketDeadline{*kind, TruncateToMicros(FromProtoTime(clock.due_at()))};
}

std::vector<DeadlineKind> DeadlinesMetAt(TicketStatus status) {
  switch (status) {
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

std::string DescribeSlaAction(const sla::v1::SlaAction& action, absl::TimeZone zone) {
  const sla::v1::Clock& clock = action.clock();
  const std::string kind = EnumText(action.kind());
  const std::string stage = EnumText(clock.stage());
  std::string text =
      absl::StrCat(kind.empty() ? "action" : kind, ": stage ", stage.empty() ? "unknown" : stage);
  if (clock.unit().empty()) {
    absl::StrAppend(&text, ", the ticket's own clock");
  } else {
    absl::StrAppend(&text, ", unit ", clock.unit());
  }
  if (!action.targets().empty()) {
    absl::StrAppend(&text, ", to ", absl::StrJoin(action.targets(), ", "));
  }
  if (!action.detail().empty()) {
    absl::StrAppend(&text, "; ", action.detail());
  }
  if (action.has_at()) {
    absl::StrAppend(&text, "; at ",
                    absl::FormatTime("%Y-%m-%d %H:%M", FromProtoTime(action.at()), zone), " (",
                    zone.name(), ")");
  }
  return text;
}

}  // namespace hotline::intake
