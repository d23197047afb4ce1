#pragma once

// The survey questions asked per ticket type beside satisfaction, from the
// built-in defaults or a CSV file (setting --question-file,
// deploy/survey/questions.csv):
//
//   ticket_type,question_id,text,choices,required
//   repair,arrived_on_time,Did the crew arrive within the time promised?,yes|no|not_sure,true
//
// ticket_type in lower case without its prefix (repair, complaint, report);
// choices separated by '|' (empty: a free-text answer); required true/false.
// Pure.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/survey/v1/survey.pb.h"

namespace hotline::survey {

using QuestionTemplates = std::map<common::v1::TicketType, std::vector<v1::Question>>;

QuestionTemplates DefaultQuestions();

// INVALID_ARGUMENT "line N: ..." for a malformed file.
absl::StatusOr<QuestionTemplates> ParseQuestionFile(const std::string& text);

// Checks `answers` against the questions of the type: every question known
// and answered once, an answer one of its choices (or free text of at most
// 500 characters), every required question answered. INVALID_ARGUMENT naming
// the field ("questions[1].answer: ...").
absl::Status CheckAnswers(const std::vector<v1::Question>& questions,
                          const google::protobuf::RepeatedPtrField<v1::QuestionAnswer>& answers);

}  // namespace hotline::survey
