#include "services/intake/tickets/domain/ticket_validation.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/phone/phone_number.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"
#include "libs/text/utf8.h"

namespace hotline::intake {
namespace {

using common::v1::TicketType;
using v1::TicketDetails;

absl::Status Invalid(absl::string_view path, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", rule));
}

absl::Status Required(absl::string_view path, absl::string_view value) {
  return value.empty() ? Invalid(path, "required") : absl::OkStatus();
}

absl::Status MaxLength(absl::string_view path, absl::string_view value, size_t max) {
  if (value.size() > max && text::CountCharacters(value) > max) {
    return Invalid(path, absl::StrCat("at most ", max, " characters"));
  }
  return absl::OkStatus();
}

absl::Status RequiredText(absl::string_view path, absl::string_view value, size_t max) {
  HOTLINE_RETURN_IF_ERROR(Required(path, value));
  return MaxLength(path, value, max);
}

// An enum field: zero (UNSPECIFIED) is missing; undeclared numbers are refused.
template <typename E>
absl::Status EnumValue(absl::string_view path, E value, bool required = true) {
  int number = static_cast<int>(value);
  if (number == 0) {
    return required ? Invalid(path, "required (UNSPECIFIED is not a value)") : absl::OkStatus();
  }
  if (EnumText(value).empty()) {
    return Invalid(path, absl::StrCat("unknown value ", number));
  }
  return absl::OkStatus();
}

absl::Status Phone(absl::string_view path, absl::string_view phone, bool required) {
  if (phone.empty()) {
    return required ? Invalid(path, "required") : absl::OkStatus();
  }
  if (!phone::IsPersonalPhone(phone)) {
    return Invalid(path, phone::kPersonalPhoneRule);
  }
  return absl::OkStatus();
}

absl::Status Name(absl::string_view path, absl::string_view name, bool required,
                  const ValidationLimits& limits) {
  if (required) {
    HOTLINE_RETURN_IF_ERROR(Required(path, name));
  }
  if (!name.empty() && absl::StripAsciiWhitespace(name).empty()) {
    return Invalid(path, "must not be blank");
  }
  return MaxLength(path, name, limits.name);
}

absl::Status IdempotencyKey(absl::string_view key, const ValidationLimits& limits) {
  constexpr absl::string_view kPath = "idempotency_key";
  HOTLINE_RETURN_IF_ERROR(Required(kPath, key));
  if (key.size() > limits.idempotency_key) {
    return Invalid(kPath, absl::StrCat("at most ", limits.idempotency_key, " characters"));
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return Invalid(kPath, "printable ASCII without spaces only");
    }
  }
  return absl::OkStatus();
}

absl::Status TicketId(absl::string_view path, absl::string_view id) {
  HOTLINE_RETURN_IF_ERROR(Required(path, id));
  return IsUuid(id) ? absl::OkStatus() : Invalid(path, "must be a ticket id (UUID)");
}

struct CustomerRule {
  bool must_be_empty = false;
  bool name = false;
  bool phone = false;
  bool account = false;
};

bool NeedsExistingAccount(v1::ApplicationKind kind) {
  switch (kind) {
    case v1::APPLICATION_KIND_CAPACITY_INCREASE:
    case v1::APPLICATION_KIND_CAPACITY_DECREASE:
    case v1::APPLICATION_KIND_NAME_TRANSFER:
    case v1::APPLICATION_KIND_TARIFF_CHANGE:
    case v1::APPLICATION_KIND_METER_RELOCATION:
      return true;
    default:
      return false;
  }
}

CustomerRule CustomerRuleFor(const v1::CreateTicketRequest& request) {
  CustomerRule rule;
  switch (request.type()) {
    case TicketType::TICKET_TYPE_REPAIR:
    case TicketType::TICKET_TYPE_COMPLAINT:
      rule.name = rule.phone = true;
      break;
    case TicketType::TICKET_TYPE_APPLICATION:
      rule.name = rule.phone = true;
      rule.account = request.details().has_application() &&
                     NeedsExistingAccount(request.details().application().kind());
      break;
    case TicketType::TICKET_TYPE_CONSULTATION:
    case TicketType::TICKET_TYPE_QUERY:
    case TicketType::TICKET_TYPE_URGING:
      rule.phone = true;
      break;
    case TicketType::TICKET_TYPE_REPORT:
      rule.must_be_empty = true;
      break;
    default:
      break;
  }
  return rule;
}

absl::Status Customer(const common::v1::CustomerContact& customer, const CustomerRule& rule,
                      const ValidationLimits& limits) {
  if (rule.must_be_empty) {
    if (!customer.name().empty() || !customer.phone().empty() ||
        !customer.account_number().empty()) {
      return Invalid("customer",
                     "must be empty for a report (the reporter goes in details.report.reporter, "
                     "which is kept confidential)");
    }
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(Name("customer.name", customer.name(), rule.name, limits));
  HOTLINE_RETURN_IF_ERROR(Phone("customer.phone", customer.phone(), rule.phone));
  const std::string& account = customer.account_number();
  if (account.empty()) {
    return rule.account ? Invalid("customer.account_number",
                                  "required for an application on an existing account")
                        : absl::OkStatus();
  }
  bool digits = true;
  for (char c : account) {
    digits = digits && absl::ascii_isdigit(static_cast<unsigned char>(c));
  }
  if (!digits || account.size() < limits.account_number_min ||
      account.size() > limits.account_number_max) {
    return Invalid("customer.account_number",
                   absl::StrCat("must be ", limits.account_number_min, "-",
                                limits.account_number_max, " digits"));
  }
  return absl::OkStatus();
}

absl::Status Address(const common::v1::Address& address, TicketType type,
                     const ValidationLimits& limits) {
  const bool needs_place =
      type == TicketType::TICKET_TYPE_REPAIR || type == TicketType::TICKET_TYPE_APPLICATION;
  if (needs_place) {
    HOTLINE_RETURN_IF_ERROR(Required("address.county", address.county()));
    HOTLINE_RETURN_IF_ERROR(Required("address.street", address.street()));
  }
  struct Part {
    const char* path;
    const std::string& value;
    size_t max;
  };
  const Part parts[] = {
      {"address.province", address.province(), limits.address_part},
      {"address.city", address.city(), limits.address_part},
      {"address.county", address.county(), limits.address_part},
      {"address.township", address.township(), limits.address_part},
      {"address.village_or_community", address.village_or_community(), limits.address_part},
      {"address.street", address.street(), limits.address_part},
      {"address.landmark", address.landmark(), limits.landmark},
      {"address.feeder", address.feeder(), limits.address_part},
      {"address.transformer_area", address.transformer_area(), limits.address_part},
  };
  for (const Part& part : parts) {
    HOTLINE_RETURN_IF_ERROR(MaxLength(part.path, part.value, part.max));
  }
  if (type == TicketType::TICKET_TYPE_REPAIR &&
      address.area_class() == common::v1::AREA_CLASS_UNSPECIFIED) {
    return Invalid("address.area_class",
                   "required for a repair (urban, rural or remote sets the arrival limit)");
  }
  return EnumValue("address.area_class", address.area_class(), /*required=*/false);
}

bool IsTimestampInRange(const google::protobuf::Timestamp& t) {
  // 0001-01-01 to 9999-12-31, as google.protobuf.Timestamp defines.
  return t.seconds() >= -62135596800LL && t.seconds() <= 253402300799LL && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

absl::Status Repair(const v1::RepairDetails& repair, absl::Time now,
                    const ValidationLimits& limits) {
  HOTLINE_RETURN_IF_ERROR(EnumValue("details.repair.symptom", repair.symptom()));
  HOTLINE_RETURN_IF_ERROR(EnumValue("details.repair.extent", repair.extent()));
  HOTLINE_RETURN_IF_ERROR(EnumValue("details.repair.equipment_owner", repair.equipment_owner()));
  if (!repair.has_fault_time()) {
    return Invalid("details.repair.fault_time", "required");
  }
  HOTLINE_RETURN_IF_ERROR(ClientTimeFromProto("details.repair.fault_time", repair.fault_time(), now,
                                              limits.fault_time_future_tolerance)
                              .status());
  HOTLINE_RETURN_IF_ERROR(EnumValue("details.repair.fault_category", repair.fault_category()));
  HOTLINE_RETURN_IF_ERROR(EnumValue("details.repair.fault_scope", repair.fault_scope()));
  if (repair.wants_paid_service() &&
      repair.equipment_owner() != common::v1::EQUIPMENT_OWNER_CUSTOMER) {
    return Invalid("details.repair.wants_paid_service",
                   "only for a fault on customer-owned equipment");
  }
  return absl::OkStatus();
}

absl::Status Inquiry(absl::string_view path, const v1::InquiryDetails& inquiry,
                     const ValidationLimits& limits) {
  HOTLINE_RETURN_IF_ERROR(
      RequiredText(absl::StrCat(path, ".topic"), inquiry.topic(), limits.topic));
  HOTLINE_RETURN_IF_ERROR(EnumValue(absl::StrCat(path, ".resolution"), inquiry.resolution()));
  if (inquiry.resolution() == v1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE) {
    return RequiredText(absl::StrCat(path, ".answer"), inquiry.answer(), limits.answer);
  }
  return MaxLength(absl::StrCat(path, ".answer"), inquiry.answer(), limits.answer);
}

absl::Status Report(const v1::ReportDetails& report, const ValidationLimits& limits) {
  HOTLINE_RETURN_IF_ERROR(EnumValue("details.report.subject", report.subject()));
  if (report.anonymous()) {
    if (!report.reporter().name().empty() || !report.reporter().phone().empty()) {
      return Invalid("details.report.reporter", "must be empty for an anonymous report");
    }
    return absl::OkStatus();
  }
  HOTLINE_RETURN_IF_ERROR(
      Name("details.report.reporter.name", report.reporter().name(), true, limits));
  return Phone("details.report.reporter.phone", report.reporter().phone(), true);
}

// The details member each type needs; kKindNotSet for none.
TicketDetails::KindCase ExpectedDetails(TicketType type) {
  switch (type) {
    case TicketType::TICKET_TYPE_REPAIR:
      return TicketDetails::kRepair;
    case TicketType::TICKET_TYPE_CONSULTATION:
      return TicketDetails::kConsultation;
    case TicketType::TICKET_TYPE_QUERY:
      return TicketDetails::kQuery;
    case TicketType::TICKET_TYPE_COMPLAINT:
      return TicketDetails::kComplaint;
    case TicketType::TICKET_TYPE_REPORT:
      return TicketDetails::kReport;
    case TicketType::TICKET_TYPE_APPLICATION:
      return TicketDetails::kApplication;
    case TicketType::TICKET_TYPE_URGING:
      return TicketDetails::kUrging;
    default:
      return TicketDetails::KIND_NOT_SET;
  }
}

std::string DetailsMemberName(TicketDetails::KindCase kind) {
  const google::protobuf::FieldDescriptor* field =
      TicketDetails::descriptor()->FindFieldByNumber(static_cast<int>(kind));
  return field == nullptr ? "" : field->name();
}

absl::Status Details(const v1::CreateTicketRequest& request, absl::Time now,
                     const ValidationLimits& limits) {
  const TicketDetails& details = request.details();
  TicketDetails::KindCase expected = ExpectedDetails(request.type());
  std::string type_name = EnumText(request.type());
  if (details.kind_case() != expected) {
    if (expected == TicketDetails::KIND_NOT_SET) {
      return Invalid(absl::StrCat("details.", DetailsMemberName(details.kind_case())),
                     absl::StrCat("must be empty for a ", type_name, " ticket"));
    }
    if (details.kind_case() == TicketDetails::KIND_NOT_SET) {
      return Invalid(absl::StrCat("details.", DetailsMemberName(expected)),
                     absl::StrCat("required for a ", type_name, " ticket"));
    }
    return Invalid(absl::StrCat("details.", DetailsMemberName(details.kind_case())),
                   absl::StrCat("does not match type ", type_name, " (expected details.",
                                DetailsMemberName(expected), ")"));
  }
  switch (expected) {
    case TicketDetails::kRepair:
      return Repair(details.repair(), now, limits);
    case TicketDetails::kConsultation:
      return Inquiry("details.consultation", details.consultation(), limits);
    case TicketDetails::kQuery:
      return Inquiry("details.query", details.query(), limits);
    case TicketDetails::kComplaint:
      return EnumValue("details.complaint.category", details.complaint().category());
    case TicketDetails::kReport:
      return Report(details.report(), limits);
    case TicketDetails::kApplication:
      return EnumValue("details.application.kind", details.application().kind());
    case TicketDetails::kUrging:
      return TicketId("details.urging.ticket_id", details.urging().ticket_id());
    default:
      return absl::OkStatus();
  }
}

bool NeedsDescription(TicketType type) {
  switch (type) {
    case TicketType::TICKET_TYPE_COMPLAINT:
    case TicketType::TICKET_TYPE_REPORT:
    case TicketType::TICKET_TYPE_SUGGESTION:
    case TicketType::TICKET_TYPE_PRAISE:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::Status ValidateCreateTicket(const v1::CreateTicketRequest& request, absl::Time now,
                                  const ValidationLimits& limits) {
  HOTLINE_RETURN_IF_ERROR(IdempotencyKey(request.idempotency_key(), limits));
  HOTLINE_RETURN_IF_ERROR(EnumValue("type", request.type()));
  HOTLINE_RETURN_IF_ERROR(EnumValue("channel", request.channel()));
  HOTLINE_RETURN_IF_ERROR(Customer(request.customer(), CustomerRuleFor(request), limits));
  HOTLINE_RETURN_IF_ERROR(Address(request.address(), request.type(), limits));
  if (NeedsDescription(request.type())) {
    HOTLINE_RETURN_IF_ERROR(RequiredText("description", request.description(), limits.description));
  } else {
    HOTLINE_RETURN_IF_ERROR(MaxLength("description", request.description(), limits.description));
  }
  return Details(request, now, limits);
}

absl::Status ValidateGetTicket(const v1::GetTicketRequest& request,
                               const ValidationLimits& limits) {
  if (request.ticket_id().empty() == request.ticket_number().empty()) {
    return Invalid("ticket_id", "exactly one of ticket_id and ticket_number is required");
  }
  if (!request.ticket_id().empty()) {
    return TicketId("ticket_id", request.ticket_id());
  }
  return MaxLength("ticket_number", request.ticket_number(), limits.ticket_number);
}

absl::Status ValidateListTickets(const v1::ListTicketsRequest& request) {
  int size = request.page().page_size();
  if (size < 0 || size > kMaxPageSize) {
    return Invalid("page.page_size", absl::StrCat("must be between 0 (default ", kDefaultPageSize,
                                                  ") and ", kMaxPageSize));
  }
  for (int i = 0; i < request.statuses_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(EnumValue(absl::StrCat("statuses[", i, "]"), request.statuses(i)));
  }
  for (int i = 0; i < request.types_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(EnumValue(absl::StrCat("types[", i, "]"), request.types(i)));
  }
  const common::v1::TimeRange& created = request.created();
  if (created.has_from() && !IsTimestampInRange(created.from())) {
    return Invalid("created.from", "not a valid time");
  }
  if (created.has_to() && !IsTimestampInRange(created.to())) {
    return Invalid("created.to", "not a valid time");
  }
  if (created.has_from() && created.has_to() &&
      std::make_pair(created.to().seconds(), created.to().nanos()) <
          std::make_pair(created.from().seconds(), created.from().nanos())) {
    return Invalid("created.to", "must not be before created.from");
  }
  return absl::OkStatus();
}

absl::Status ValidateAddNote(const v1::AddNoteRequest& request, const ValidationLimits& limits) {
  HOTLINE_RETURN_IF_ERROR(TicketId("ticket_id", request.ticket_id()));
  return RequiredText("text", request.text(), limits.note);
}

absl::Status ValidateUrgeTicket(const v1::UrgeTicketRequest& request,
                                const ValidationLimits& limits) {
  HOTLINE_RETURN_IF_ERROR(IdempotencyKey(request.idempotency_key(), limits));
  HOTLINE_RETURN_IF_ERROR(TicketId("ticket_id", request.ticket_id()));
  HOTLINE_RETURN_IF_ERROR(EnumValue("channel", request.channel()));
  HOTLINE_RETURN_IF_ERROR(Customer(request.customer(), CustomerRule(), limits));
  return MaxLength("note", request.note(), limits.note);
}

absl::Status ValidateCancelTicket(const v1::CancelTicketRequest& request,
                                  const ValidationLimits& limits) {
  HOTLINE_RETURN_IF_ERROR(TicketId("ticket_id", request.ticket_id()));
  return RequiredText("reason", request.reason(), limits.reason);
}

absl::Status ValidateGetHistory(const v1::GetHistoryRequest& request) {
  HOTLINE_RETURN_IF_ERROR(TicketId("ticket_id", request.ticket_id()));
  int size = request.page().page_size();
  if (size < 0 || size > kMaxPageSize) {
    return Invalid("page.page_size", absl::StrCat("must be between 0 (default ", kDefaultPageSize,
                                                  ") and ", kMaxPageSize));
  }
  return absl::OkStatus();
}

}  // namespace hotline::intake
