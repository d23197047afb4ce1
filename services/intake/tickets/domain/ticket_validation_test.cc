// Validation of TicketIntake requests: one valid request per type passes, and
// a table of broken ones each fails naming the field and the rule.

#include "services/intake/tickets/domain/ticket_validation.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "libs/proto_time/proto_time.h"

namespace hotline::intake {
namespace {

using common::v1::TicketType;

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

v1::CreateTicketRequest Valid(TicketType type) {
  v1::CreateTicketRequest r;
  r.set_idempotency_key("key-1");
  r.set_type(type);
  r.set_channel(common::v1::CHANNEL_PHONE);
  if (type != TicketType::TICKET_TYPE_REPORT) {
    r.mutable_customer()->set_name("张三丰");
    r.mutable_customer()->set_phone("13812345678");
  }
  common::v1::Address& a = *r.mutable_address();
  a.set_county("城关区");
  a.set_street("人民路12号");
  a.set_area_class(common::v1::AREA_CLASS_URBAN);
  r.set_description("客户来电");
  v1::TicketDetails& d = *r.mutable_details();
  switch (type) {
    case TicketType::TICKET_TYPE_REPAIR: {
      v1::RepairDetails& repair = *d.mutable_repair();
      repair.set_symptom(v1::REPAIR_SYMPTOM_NO_POWER);
      repair.set_extent(v1::FAULT_EXTENT_ONE_HOUSEHOLD);
      repair.set_equipment_owner(common::v1::EQUIPMENT_OWNER_UTILITY);
      *repair.mutable_fault_time() = ToProtoTime(kNow - absl::Minutes(20));
      repair.set_fault_category(v1::FAULT_CATEGORY_OTHER);
      repair.set_fault_scope(common::v1::FAULT_SCOPE_PUBLIC_NETWORK);
      break;
    }
    case TicketType::TICKET_TYPE_CONSULTATION:
      d.mutable_consultation()->set_topic("tariff");
      d.mutable_consultation()->set_resolution(v1::INQUIRY_RESOLUTION_NEEDS_DEPARTMENT);
      break;
    case TicketType::TICKET_TYPE_QUERY:
      d.mutable_query()->set_topic("bill");
      d.mutable_query()->set_resolution(v1::INQUIRY_RESOLUTION_ANSWERED_AT_ONCE);
      d.mutable_query()->set_answer("126.40 yuan");
      break;
    case TicketType::TICKET_TYPE_COMPLAINT:
      d.mutable_complaint()->set_category(v1::COMPLAINT_CATEGORY_SERVICE);
      break;
    case TicketType::TICKET_TYPE_REPORT:
      d.mutable_report()->set_subject(v1::REPORT_SUBJECT_THEFT);
      d.mutable_report()->mutable_reporter()->set_name("李四");
      d.mutable_report()->mutable_reporter()->set_phone("010-12345678");
      break;
    case TicketType::TICKET_TYPE_APPLICATION:
      d.mutable_application()->set_kind(v1::APPLICATION_KIND_NEW_CONNECTION);
      break;
    case TicketType::TICKET_TYPE_URGING:
      d.mutable_urging()->set_ticket_id("0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e");
      break;
    default:
      break;
  }
  return r;
}

TEST(ValidateCreateTicketTest, AValidRequestOfEveryTypePasses) {
  for (int t = 1; t <= 9; ++t) {
    auto type = static_cast<TicketType>(t);
    absl::Status status = ValidateCreateTicket(Valid(type), kNow);
    EXPECT_TRUE(status.ok()) << TicketType_Name(type) << ": " << status;
  }
}

struct BadCase {
  TicketType type;
  std::function<void(v1::CreateTicketRequest&)> mutate;
  std::string expected;  // "<field path>: <rule...>"
};

TEST(ValidateCreateTicketTest, EachBrokenRuleNamesItsFieldAndRule) {
  using T = TicketType;
  const std::vector<BadCase> cases = {
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.clear_idempotency_key(); },
       "idempotency_key: required"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.set_idempotency_key(std::string(129, 'k')); },
       "idempotency_key: at most 128"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.set_idempotency_key("a key"); },
       "idempotency_key: printable ASCII"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.set_type(T::TICKET_TYPE_UNSPECIFIED); },
       "type: required"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.set_type(static_cast<T>(42)); },
       "type: unknown value 42"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.clear_channel(); }, "channel: required"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_customer()->clear_name(); },
       "customer.name: required"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_customer()->set_name("   "); },
       "customer.name: must not be blank"},
      {T::TICKET_TYPE_COMPLAINT,
       [](auto& r) { r.mutable_customer()->set_name(std::string(51 * 3, 'x')); },
       "customer.name: at most 50 characters"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_customer()->clear_phone(); },
       "customer.phone: required"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_customer()->set_phone("12812345678"); },
       "customer.phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
       "(0xx-xxxxxxxx[-ext])"},
      {T::TICKET_TYPE_QUERY, [](auto& r) { r.mutable_customer()->set_phone("1381234567"); },
       "customer.phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
       "(0xx-xxxxxxxx[-ext])"},
      {T::TICKET_TYPE_CONSULTATION, [](auto& r) { r.mutable_customer()->set_phone("010-123"); },
       "customer.phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
       "(0xx-xxxxxxxx[-ext])"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_customer()->set_account_number("12ab"); },
       "customer.account_number: must be 6-20 digits"},
      {T::TICKET_TYPE_APPLICATION,
       [](auto& r) {
         r.mutable_details()->mutable_application()->set_kind(v1::APPLICATION_KIND_NAME_TRANSFER);
       },
       "customer.account_number: required for an application on an existing account"},
      {T::TICKET_TYPE_REPORT, [](auto& r) { r.mutable_customer()->set_phone("13812345678"); },
       "customer: must be empty for a report"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_address()->clear_county(); },
       "address.county: required"},
      {T::TICKET_TYPE_APPLICATION, [](auto& r) { r.mutable_address()->clear_street(); },
       "address.street: required"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.mutable_address()->clear_area_class(); },
       "address.area_class: required for a repair"},
      {T::TICKET_TYPE_PRAISE,
       [](auto& r) { r.mutable_address()->set_area_class(static_cast<common::v1::AreaClass>(9)); },
       "address.area_class: unknown value 9"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_address()->set_landmark(std::string(201, 'l')); },
       "address.landmark: at most 200 characters"},
      {T::TICKET_TYPE_COMPLAINT, [](auto& r) { r.clear_description(); }, "description: required"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.set_description(std::string(2001, 'd')); },
       "description: at most 2000 characters"},
      {T::TICKET_TYPE_REPAIR, [](auto& r) { r.clear_details(); },
       "details.repair: required for a repair ticket"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) {
         r.mutable_details()->mutable_complaint()->set_category(v1::COMPLAINT_CATEGORY_SERVICE);
       },
       "details.complaint: does not match type repair"},
      {T::TICKET_TYPE_SUGGESTION,
       [](auto& r) { r.mutable_details()->mutable_urging()->set_ticket_id("x"); },
       "details.urging: must be empty for a suggestion ticket"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->clear_symptom(); },
       "details.repair.symptom: required"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->clear_extent(); },
       "details.repair.extent: required"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->clear_equipment_owner(); },
       "details.repair.equipment_owner: required"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->clear_fault_time(); },
       "details.repair.fault_time: required"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) {
         *r.mutable_details()->mutable_repair()->mutable_fault_time() =
             ToProtoTime(kNow + absl::Hours(1));
       },
       "details.repair.fault_time: must not be more than 5m ahead of the server's clock"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) {
         *r.mutable_details()->mutable_repair()->mutable_fault_time() =
             ToProtoTime(absl::FromUnixSeconds(-3600));  // 1969
       },
       "details.repair.fault_time: must lie in [2000-01-01, 2100-01-01) (got "
       "1969-12-31T23:00:00+00:00)"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->clear_fault_category(); },
       "details.repair.fault_category: required"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->clear_fault_scope(); },
       "details.repair.fault_scope: required"},
      {T::TICKET_TYPE_REPAIR,
       [](auto& r) { r.mutable_details()->mutable_repair()->set_wants_paid_service(true); },
       "details.repair.wants_paid_service: only for a fault on customer-owned equipment"},
      {T::TICKET_TYPE_CONSULTATION,
       [](auto& r) { r.mutable_details()->mutable_consultation()->clear_topic(); },
       "details.consultation.topic: required"},
      {T::TICKET_TYPE_QUERY, [](auto& r) { r.mutable_details()->mutable_query()->clear_answer(); },
       "details.query.answer: required"},
      {T::TICKET_TYPE_CONSULTATION,
       [](auto& r) { r.mutable_details()->mutable_consultation()->clear_resolution(); },
       "details.consultation.resolution: required"},
      {T::TICKET_TYPE_COMPLAINT,
       [](auto& r) { r.mutable_details()->mutable_complaint()->clear_category(); },
       "details.complaint.category: required"},
      {T::TICKET_TYPE_REPORT,
       [](auto& r) { r.mutable_details()->mutable_report()->clear_subject(); },
       "details.report.subject: required"},
      {T::TICKET_TYPE_REPORT,
       [](auto& r) { r.mutable_details()->mutable_report()->mutable_reporter()->clear_name(); },
       "details.report.reporter.name: required"},
      {T::TICKET_TYPE_REPORT,
       [](auto& r) { r.mutable_details()->mutable_report()->mutable_reporter()->set_phone("123"); },
       "details.report.reporter.phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
       "(0xx-xxxxxxxx[-ext])"},
      {T::TICKET_TYPE_REPORT,
       [](auto& r) { r.mutable_details()->mutable_report()->set_anonymous(true); },
       "details.report.reporter: must be empty for an anonymous report"},
      {T::TICKET_TYPE_APPLICATION,
       [](auto& r) { r.mutable_details()->mutable_application()->clear_kind(); },
       "details.application.kind: required"},
      {T::TICKET_TYPE_URGING,
       [](auto& r) { r.mutable_details()->mutable_urging()->set_ticket_id("GD-1"); },
       "details.urging.ticket_id: must be a ticket id (UUID)"},
  };
  for (const BadCase& c : cases) {
    v1::CreateTicketRequest request = Valid(c.type);
    c.mutate(request);
    absl::Status status = ValidateCreateTicket(request, kNow);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.expected;
    EXPECT_EQ(std::string(status.message()).rfind(c.expected, 0), 0u)
        << "expected \"" << c.expected << "...\", got \"" << status.message() << "\"";
  }
}

TEST(ValidateCreateTicketTest, AnonymousReportWithoutReporterPasses) {
  v1::CreateTicketRequest request = Valid(TicketType::TICKET_TYPE_REPORT);
  request.mutable_details()->mutable_report()->set_anonymous(true);
  request.mutable_details()->mutable_report()->clear_reporter();
  EXPECT_TRUE(ValidateCreateTicket(request, kNow).ok());
}

TEST(ValidateCreateTicketTest, LengthsCountCharactersNotBytes) {
  v1::CreateTicketRequest request = Valid(TicketType::TICKET_TYPE_COMPLAINT);
  std::string fifty;
  for (int i = 0; i < 50; ++i) {
    fifty += "张";  // 3 bytes each
  }
  request.mutable_customer()->set_name(fifty);
  EXPECT_TRUE(ValidateCreateTicket(request, kNow).ok());
  request.mutable_customer()->set_name(fifty + "三");
  EXPECT_EQ(ValidateCreateTicket(request, kNow).message(), "customer.name: at most 50 characters");
}

TEST(ValidateOtherRequestsTest, NameTheirFields) {
  v1::GetTicketRequest get;
  EXPECT_EQ(ValidateGetTicket(get).message(),
            "ticket_id: exactly one of ticket_id and ticket_number is required");
  get.set_ticket_id("nope");
  EXPECT_EQ(ValidateGetTicket(get).message(), "ticket_id: must be a ticket id (UUID)");

  v1::ListTicketsRequest list;
  list.mutable_page()->set_page_size(501);
  EXPECT_EQ(std::string(ValidateListTickets(list).message()).rfind("page.page_size:", 0), 0u);
  list.mutable_page()->set_page_size(500);
  EXPECT_TRUE(ValidateListTickets(list).ok());
  list.add_statuses(common::v1::TICKET_STATUS_UNSPECIFIED);
  EXPECT_EQ(std::string(ValidateListTickets(list).message()).rfind("statuses[0]: required", 0), 0u);

  v1::CancelTicketRequest cancel;
  cancel.set_ticket_id("0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e");
  EXPECT_EQ(ValidateCancelTicket(cancel).message(), "reason: required");

  v1::AddNoteRequest note;
  note.set_ticket_id("0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e");
  EXPECT_EQ(ValidateAddNote(note).message(), "text: required");

  v1::UrgeTicketRequest urge;
  urge.set_idempotency_key("k");
  urge.set_ticket_id("0b7f5c1e-4a8e-4b5c-9d2e-3f4a5b6c7d8e");
  EXPECT_EQ(std::string(ValidateUrgeTicket(urge).message()).rfind("channel: required", 0), 0u);
  urge.set_channel(common::v1::CHANNEL_WECHAT);
  EXPECT_TRUE(ValidateUrgeTicket(urge).ok());
  urge.mutable_customer()->set_phone("555");
  EXPECT_EQ(ValidateUrgeTicket(urge).message(),
            "customer.phone: must be a mobile (1xxxxxxxxxx) or a landline with area code "
            "(0xx-xxxxxxxx[-ext])");
}

}  // namespace
}  // namespace hotline::intake
