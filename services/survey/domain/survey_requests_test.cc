#include "services/survey/domain/survey_requests.h"

#include <gtest/gtest.h>

#include <functional>

#include "libs/proto_time/proto_time.h"

namespace hotline::survey {
namespace {

using common::v1::TicketType;

constexpr char kTicket[] = "6f1c2d3e-4a5b-4c6d-8e7f-901234567890";

v1::ScheduleCallbackRequest GoodSchedule() {
  v1::ScheduleCallbackRequest r;
  r.set_idempotency_key("manual-1");
  r.set_ticket_id(kTicket);
  r.set_ticket_type(TicketType::TICKET_TYPE_COMPLAINT);
  r.mutable_customer()->set_name("李明");
  r.mutable_customer()->set_phone("13912345678");
  r.set_reason("the customer asked to be called back after 18:00");
  return r;
}

void ExpectField(const absl::Status& status, const std::string& field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
  EXPECT_EQ(status.message().substr(0, field.size() + 1), field + ":") << status;
}

TEST(ScheduleRequestTest, EachBadFieldIsNamed) {
  ASSERT_TRUE(ValidateSchedule(GoodSchedule()).ok());
  const std::vector<std::pair<std::string, std::function<void(v1::ScheduleCallbackRequest&)>>>
      cases = {
          {"idempotency_key", [](auto& r) { r.clear_idempotency_key(); }},
          {"ticket_id", [](auto& r) { r.set_ticket_id("T-1"); }},
          {"ticket_type", [](auto& r) { r.set_ticket_type(TicketType::TICKET_TYPE_PRAISE); }},
          {"customer.name", [](auto& r) { r.mutable_customer()->set_name("  "); }},
          {"customer.phone", [](auto& r) { r.mutable_customer()->set_phone("12345"); }},
          {"customer.phone", [](auto& r) { r.mutable_customer()->clear_phone(); }},
          {"reason", [](auto& r) { r.clear_reason(); }},
          {"branch_id", [](auto& r) { r.set_branch_id(std::string(65, 'b')); }},
      };
  for (const auto& [field, spoil] : cases) {
    v1::ScheduleCallbackRequest r = GoodSchedule();
    spoil(r);
    ExpectField(ValidateSchedule(r), field);
  }
}

TEST(AttemptRequestTest, TaskAndResultRequired) {
  v1::RecordAttemptRequest r;
  ExpectField(ValidateAttempt(r), "task_id");
  r.set_task_id(kTicket);
  ExpectField(ValidateAttempt(r), "result");
  r.set_result(static_cast<v1::AttemptResult>(42));
  ExpectField(ValidateAttempt(r), "result");
  r.set_result(v1::ATTEMPT_RESULT_BUSY);
  EXPECT_TRUE(ValidateAttempt(r).ok());
  r.set_note(std::string(501, 'n'));
  ExpectField(ValidateAttempt(r), "note");
}

TEST(AnswerRequestTest, ADissatisfiedCustomerSaysWhy) {
  v1::RecordAnswerRequest r;
  r.set_task_id(kTicket);
  ExpectField(ValidateAnswer(r), "satisfaction");
  r.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  ExpectField(ValidateAnswer(r), "comment");
  r.set_comment("nobody came");
  EXPECT_TRUE(ValidateAnswer(r).ok());
  r.set_task_id("not-a-task");
  ExpectField(ValidateAnswer(r), "task_id");
}

TEST(GetRequestTest, ExactlyOneId) {
  v1::GetCallbackRequest r;
  ExpectField(ValidateGet(r), "task_id");
  r.set_task_id(kTicket);
  r.set_ticket_id(kTicket);
  ExpectField(ValidateGet(r), "task_id");
  r.clear_task_id();
  EXPECT_TRUE(ValidateGet(r).ok());
  r.set_ticket_id("R-1");
  ExpectField(ValidateGet(r), "ticket_id");
}

TEST(StatsRequestTest, APeriodIsRequired) {
  v1::GetSurveyStatsRequest r;
  ExpectField(ValidateStats(r), "from");
  *r.mutable_from() = ToProtoTime(absl::FromUnixSeconds(1780000000));
  ExpectField(ValidateStats(r), "to");
  *r.mutable_to() = ToProtoTime(absl::FromUnixSeconds(1780000000));
  ExpectField(ValidateStats(r), "to");
  *r.mutable_to() = ToProtoTime(absl::FromUnixSeconds(1780086400));
  EXPECT_TRUE(ValidateStats(r).ok());
  r.set_ticket_type(TicketType::TICKET_TYPE_QUERY);
  ExpectField(ValidateStats(r), "ticket_type");
}

}  // namespace
}  // namespace hotline::survey
