#include "services/sla/api/sla_requests.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "libs/text/utf8.h"
#include "libs/text/uuid.h"

namespace hotline::sla {
namespace {

constexpr size_t kMaxKey = 128;
constexpr size_t kMaxName = 64;

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

absl::Status IdempotencyKey(absl::string_view key) {
  if (key.empty()) {
    return Invalid("idempotency_key", "required");
  }
  if (key.size() > kMaxKey) {
    return Invalid("idempotency_key", absl::StrCat("at most ", kMaxKey, " characters"));
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return Invalid("idempotency_key", "printable ASCII without spaces only");
    }
  }
  return absl::OkStatus();
}

template <typename E>
absl::Status EnumValue(absl::string_view field, E value, bool optional, bool (*is_valid)(int)) {
  if (!is_valid(static_cast<int>(value))) {
    return Invalid(field, absl::StrCat("unknown value ", static_cast<int>(value)));
  }
  if (!optional && static_cast<int>(value) == 0) {
    return Invalid(field, "required");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTicketId(absl::string_view field, absl::string_view id) {
  if (id.empty()) {
    return Invalid(field, "required");
  }
  if (!text::IsUuid(id)) {
    return Invalid(field, "not a ticket id (a UUID)");
  }
  return absl::OkStatus();
}

absl::Status ValidateName(absl::string_view field, absl::string_view name) {
  if (text::CountCharacters(name) > kMaxName) {
    return Invalid(field, absl::StrCat("at most ", kMaxName, " characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateStage(absl::string_view field, v1::Stage stage, bool optional) {
  return EnumValue(field, stage, optional, &v1::Stage_IsValid);
}

absl::StatusOr<absl::Time> TimeOrNow(absl::string_view field, const google::protobuf::Timestamp& at,
                                     const TimeRule& rule) {
  if (at.seconds() == 0 && at.nanos() == 0) {
    return rule.now;
  }
  return ClientTimeFromProto(field, at, rule.now, rule.skew);
}

absl::StatusOr<ClockStart> StartFromProto(const v1::StartClockRequest& request,
                                          const TimeRule& rule) {
  HOTLINE_RETURN_IF_ERROR(IdempotencyKey(request.idempotency_key()));
  HOTLINE_RETURN_IF_ERROR(ValidateTicketId("ticket_id", request.ticket_id()));
  HOTLINE_RETURN_IF_ERROR(ValidateName("ticket_number", request.ticket_number()));
  HOTLINE_RETURN_IF_ERROR(
      EnumValue("ticket_type", request.ticket_type(), false, &common::v1::TicketType_IsValid));
  HOTLINE_RETURN_IF_ERROR(ValidateStage("stage", request.stage(), false));
  HOTLINE_RETURN_IF_ERROR(ValidateName("unit", request.unit()));
  HOTLINE_RETURN_IF_ERROR(
      EnumValue("area_class", request.area_class(), true, &common::v1::AreaClass_IsValid));
  HOTLINE_RETURN_IF_ERROR(ValidateName("region", request.region()));
  HOTLINE_RETURN_IF_ERROR(ValidateName("superior_unit", request.superior_unit()));
  ClockStart start;
  HOTLINE_ASSIGN_OR_RETURN(start.at, TimeOrNow("started_at", request.started_at(), rule));
  start.ticket_id = absl::AsciiStrToLower(request.ticket_id());
  start.ticket_number = request.ticket_number();
  start.ticket_type = request.ticket_type();
  start.stage = request.stage();
  start.unit = request.unit();
  start.area_class = request.area_class();
  start.region = request.region();
  start.superior_unit = request.superior_unit();
  return start;
}

absl::Status ValidateClockRef(const v1::ClockRef& ref) {
  HOTLINE_RETURN_IF_ERROR(ValidateTicketId("clock.ticket_id", ref.ticket_id()));
  HOTLINE_RETURN_IF_ERROR(ValidateStage("clock.stage", ref.stage(), false));
  return ValidateName("clock.unit", ref.unit());
}

absl::StatusOr<store::OverdueFilter> OverdueFilterFromProto(const v1::ListOverdueRequest& request) {
  HOTLINE_RETURN_IF_ERROR(ValidateName("unit", request.unit()));
  HOTLINE_RETURN_IF_ERROR(
      EnumValue("ticket_type", request.ticket_type(), true, &common::v1::TicketType_IsValid));
  HOTLINE_RETURN_IF_ERROR(ValidateStage("stage", request.stage(), true));
  HOTLINE_RETURN_IF_ERROR(ValidatePageSize(request.page()));
  store::OverdueFilter filter;
  filter.unit = request.unit();
  filter.ticket_type = request.ticket_type();
  filter.stage = request.stage();
  return filter;
}

absl::Status ValidatePageSize(const common::v1::PageRequest& page) {
  if (page.page_size() < 0 || page.page_size() > 500) {
    return Invalid("page.page_size", "0 (default 50) to 500");
  }
  return absl::OkStatus();
}

}  // namespace hotline::sla
