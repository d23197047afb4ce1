#include "services/survey/domain/survey_requests.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/phone/phone_number.h"
#include "libs/proto_time/proto_time.h"
#include "libs/text/idempotency_key.h"
#include "libs/text/utf8.h"
#include "libs/text/uuid.h"

namespace hotline::survey {
namespace {

using common::v1::TicketType;

constexpr size_t kMaxName = 100;
constexpr size_t kMaxNumber = 64;
constexpr size_t kMaxNote = 500;
constexpr size_t kMaxComment = 1000;
constexpr int kMaxQuestions = 50;

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

absl::Status MaxLength(absl::string_view field, absl::string_view text, size_t max) {
  if (text.size() > max && text::CountCharacters(text) > max) {
    return Invalid(field, absl::StrCat("at most ", max, " characters"));
  }
  return absl::OkStatus();
}

absl::Status RequiredText(absl::string_view field, absl::string_view text, size_t max) {
  if (IsBlank(text)) {
    return Invalid(field, "required");
  }
  return MaxLength(field, text, max);
}

absl::Status Id(absl::string_view field, absl::string_view id, absl::string_view what) {
  if (id.empty()) {
    return Invalid(field, "required");
  }
  if (!text::IsUuid(id)) {
    return Invalid(field, absl::StrCat("not ", what, " (a UUID)"));
  }
  return absl::OkStatus();
}

bool IsSurveyedType(TicketType type) {
  return type == TicketType::TICKET_TYPE_REPAIR || type == TicketType::TICKET_TYPE_COMPLAINT ||
         type == TicketType::TICKET_TYPE_REPORT;
}

}  // namespace

absl::Status ValidateSchedule(const v1::ScheduleCallbackRequest& r) {
  if (absl::Status s = text::CheckIdempotencyKey("idempotency_key", r.idempotency_key()); !s.ok()) {
    return s;
  }
  if (absl::Status s = Id("ticket_id", r.ticket_id(), "a ticket id"); !s.ok()) {
    return s;
  }
  if (absl::Status s = MaxLength("ticket_number", r.ticket_number(), kMaxNumber); !s.ok()) {
    return s;
  }
  if (!IsSurveyedType(r.ticket_type())) {
    return Invalid("ticket_type", "must be repair, complaint or report (the types called back)");
  }
  if (absl::Status s = MaxLength("branch_id", r.branch_id(), kMaxNumber); !s.ok()) {
    return s;
  }
  if (absl::Status s = RequiredText("customer.name", r.customer().name(), kMaxName); !s.ok()) {
    return s;
  }
  if (r.customer().phone().empty()) {
    return Invalid("customer.phone", "required");
  }
  if (!phone::IsPersonalPhone(r.customer().phone())) {
    return Invalid("customer.phone", phone::kPersonalPhoneRule);
  }
  if (absl::Status s =
          MaxLength("customer.account_number", r.customer().account_number(), kMaxNumber);
      !s.ok()) {
    return s;
  }
  return RequiredText("reason", r.reason(), kMaxNote);
}

absl::Status ValidateAttempt(const v1::RecordAttemptRequest& r) {
  if (absl::Status s = Id("task_id", r.task_id(), "a callback task id"); !s.ok()) {
    return s;
  }
  if (r.result() == v1::ATTEMPT_RESULT_UNSPECIFIED || !v1::AttemptResult_IsValid(r.result())) {
    return Invalid("result", "required: no_answer, busy, wrong_number or answered");
  }
  return MaxLength("note", r.note(), kMaxNote);
}

absl::Status ValidateAnswer(const v1::RecordAnswerRequest& r) {
  if (absl::Status s = Id("task_id", r.task_id(), "a callback task id"); !s.ok()) {
    return s;
  }
  if (r.satisfaction() == v1::SATISFACTION_UNSPECIFIED ||
      !v1::Satisfaction_IsValid(r.satisfaction())) {
    return Invalid("satisfaction", "required: satisfied, basically_satisfied or dissatisfied");
  }
  if (r.satisfaction() == v1::SATISFACTION_DISSATISFIED && IsBlank(r.comment())) {
    return Invalid("comment", "required when dissatisfied: why, in the customer's words");
  }
  if (absl::Status s = MaxLength("comment", r.comment(), kMaxComment); !s.ok()) {
    return s;
  }
  if (r.questions_size() > kMaxQuestions) {
    return Invalid("questions", absl::StrCat("at most ", kMaxQuestions));
  }
  return absl::OkStatus();
}

absl::Status ValidateGet(const v1::GetCallbackRequest& r) {
  if (r.task_id().empty() == r.ticket_id().empty()) {
    return Invalid("task_id", "give task_id or ticket_id, exactly one");
  }
  if (!r.task_id().empty()) {
    return Id("task_id", r.task_id(), "a callback task id");
  }
  return Id("ticket_id", r.ticket_id(), "a ticket id");
}

absl::Status ValidateStats(const v1::GetSurveyStatsRequest& r) {
  if (!r.has_from()) {
    return Invalid("from", "required");
  }
  if (!r.has_to()) {
    return Invalid("to", "required");
  }
  if (FromProtoTime(r.to()) <= FromProtoTime(r.from())) {
    return Invalid("to", "must be after from");
  }
  if (absl::Status s = MaxLength("branch_id", r.branch_id(), kMaxNumber); !s.ok()) {
    return s;
  }
  if (r.ticket_type() != TicketType::TICKET_TYPE_UNSPECIFIED && !IsSurveyedType(r.ticket_type())) {
    return Invalid("ticket_type", "repair, complaint, report, or unset for all");
  }
  return absl::OkStatus();
}

}  // namespace hotline::survey
