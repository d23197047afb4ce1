#pragma once

// The shape checks of the CallbackSurveys requests, before any storage is
// touched: INVALID_ARGUMENT naming the field ("customer.phone: ..."). The
// template's questions are checked against the task's type by the desk
// (question_template.h). Pure.

#include "absl/status/status.h"
#include "hotline/survey/v1/survey.pb.h"

namespace hotline::survey {

absl::Status ValidateSchedule(const v1::ScheduleCallbackRequest& request);
absl::Status ValidateAttempt(const v1::RecordAttemptRequest& request);
absl::Status ValidateAnswer(const v1::RecordAnswerRequest& request);
absl::Status ValidateGet(const v1::GetCallbackRequest& request);
absl::Status ValidateStats(const v1::GetSurveyStatsRequest& request);

}  // namespace hotline::survey
