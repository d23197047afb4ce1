#include "services/survey/domain/question_template.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/text/csv.h"
#include "libs/text/utf8.h"

namespace hotline::survey {
namespace {

using common::v1::TicketType;

constexpr size_t kMaxFreeText = 500;
constexpr size_t kMaxId = 64;

v1::Question MakeQuestion(const std::string& id, const std::string& text,
                          const std::vector<std::string>& choices, bool required) {
  v1::Question question;
  question.set_question_id(id);
  question.set_text(text);
  for (const std::string& choice : choices) {
    question.add_choices(choice);
  }
  question.set_required(required);
  return question;
}

bool IsQuestionId(const std::string& id) {
  return !id.empty() && id.size() <= kMaxId && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

}  // namespace

QuestionTemplates DefaultQuestions() {
  QuestionTemplates templates;
  templates[TicketType::TICKET_TYPE_REPAIR] = {
      MakeQuestion("arrived_on_time", "Did the repair crew arrive within the time promised?",
                   {"yes", "no", "not_sure"}, true),
      MakeQuestion("crew_manner", "How was the crew's manner?", {"good", "fair", "poor"}, false)};
  templates[TicketType::TICKET_TYPE_COMPLAINT] = {
      MakeQuestion("contacted", "Did the responsible unit contact you about your complaint?",
                   {"yes", "no"}, true)};
  templates[TicketType::TICKET_TYPE_REPORT] = {
      MakeQuestion("result_told", "Were you told the result of your report?", {"yes", "no"}, true)};
  return templates;
}

absl::StatusOr<QuestionTemplates> ParseQuestionFile(const std::string& text) {
  absl::StatusOr<std::vector<text::CsvRecord>> records = text::ParseCsv(text);
  if (!records.ok()) {
    return records.status();
  }
  QuestionTemplates templates;
  std::set<std::pair<TicketType, std::string>> seen;
  bool header = true;
  for (const text::CsvRecord& record : *records) {
    auto invalid = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat("line ", record.line, ": ", what));
    };
    if (record.fields.size() != 5) {
      return invalid(
          absl::StrCat("expected 5 fields (ticket_type,question_id,text,choices,required), got ",
                       record.fields.size()));
    }
    if (header) {
      header = false;
      if (record.fields[0] == "ticket_type") {
        continue;
      }
    }
    const TicketType type = ParseRequiredEnumText<TicketType>(record.fields[0])
                                .value_or(TicketType::TICKET_TYPE_UNSPECIFIED);
    if ((type != TicketType::TICKET_TYPE_REPAIR && type != TicketType::TICKET_TYPE_COMPLAINT &&
         type != TicketType::TICKET_TYPE_REPORT)) {
      return invalid(absl::StrCat("ticket_type '", record.fields[0],
                                  "' is not one of repair, complaint, report"));
    }
    const std::string& id = record.fields[1];
    if (!IsQuestionId(id)) {
      return invalid(
          absl::StrCat("question_id '", id, "': lower-case letters, digits and '_', at most 64"));
    }
    if (!seen.insert({type, id}).second) {
      return invalid(absl::StrCat("question_id '", id, "' appears twice for ", record.fields[0]));
    }
    if (absl::StripAsciiWhitespace(record.fields[2]).empty()) {
      return invalid("text: required");
    }
    std::vector<std::string> choices;
    if (!record.fields[3].empty()) {
      choices = absl::StrSplit(record.fields[3], '|');
      for (const std::string& choice : choices) {
        if (absl::StripAsciiWhitespace(choice).empty()) {
          return invalid("choices: an empty choice");
        }
      }
    }
    if (record.fields[4] != "true" && record.fields[4] != "false") {
      return invalid(absl::StrCat("required '", record.fields[4], "' is not true or false"));
    }
    templates[type].push_back(
        MakeQuestion(id, record.fields[2], choices, record.fields[4] == "true"));
  }
  return templates;
}

absl::Status CheckAnswers(const std::vector<v1::Question>& questions,
                          const google::protobuf::RepeatedPtrField<v1::QuestionAnswer>& answers) {
  std::set<std::string> answered;
  for (int i = 0; i < answers.size(); ++i) {
    const v1::QuestionAnswer& answer = answers[i];
    const std::string field = absl::StrCat("questions[", i, "]");
    auto question = std::find_if(questions.begin(), questions.end(), [&](const v1::Question& q) {
      return q.question_id() == answer.question_id();
    });
    if (question == questions.end()) {
      std::vector<std::string> ids;
      for (const v1::Question& q : questions) {
        ids.push_back(q.question_id());
      }
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".question_id: '", answer.question_id(), "' is not a question of this survey (",
          ids.empty() ? "it has none" : absl::StrJoin(ids, ", "), ")"));
    }
    if (!answered.insert(answer.question_id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".question_id: '", answer.question_id(), "' answered twice"));
    }
    if (question->choices_size() > 0) {
      if (std::find(question->choices().begin(), question->choices().end(), answer.answer()) ==
          question->choices().end()) {
        return absl::InvalidArgumentError(absl::StrCat(field, ".answer: '", answer.answer(),
                                                       "' is not one of ",
                                                       absl::StrJoin(question->choices(), ", ")));
      }
    } else if (text::CountCharacters(answer.answer()) > kMaxFreeText) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".answer: at most ", kMaxFreeText, " characters"));
    }
  }
  for (const v1::Question& question : questions) {
    if (question.required() && answered.count(question.question_id()) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("questions: '", question.question_id(), "' (",
                                                     question.text(), ") is required"));
    }
  }
  return absl::OkStatus();
}

}  // namespace hotline::survey
