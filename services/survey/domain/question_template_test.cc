#include "services/survey/domain/question_template.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace hotline::survey {
namespace {

using common::v1::TicketType;

google::protobuf::RepeatedPtrField<v1::QuestionAnswer> Answers(
    std::initializer_list<std::pair<std::string, std::string>> pairs) {
  google::protobuf::RepeatedPtrField<v1::QuestionAnswer> out;
  for (const auto& [id, text] : pairs) {
    v1::QuestionAnswer* answer = out.Add();
    answer->set_question_id(id);
    answer->set_answer(text);
  }
  return out;
}

TEST(QuestionFileTest, TheShippedFileHoldsTheBuiltInQuestions) {
  std::ifstream in(std::string(HOTLINE_SOURCE_DIR) + "/deploy/survey/questions.csv");
  ASSERT_TRUE(in) << "deploy/survey/questions.csv";
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<QuestionTemplates> parsed = ParseQuestionFile(text.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const QuestionTemplates defaults = DefaultQuestions();
  ASSERT_EQ(parsed->size(), defaults.size());
  for (const auto& [type, questions] : defaults) {
    ASSERT_EQ(parsed->at(type).size(), questions.size());
    for (size_t i = 0; i < questions.size(); ++i) {
      EXPECT_EQ(parsed->at(type)[i].SerializeAsString(), questions[i].SerializeAsString())
          << questions[i].question_id();
    }
  }
}

TEST(QuestionFileTest, MalformedLinesAreNamed) {
  const std::string header = "ticket_type,question_id,text,choices,required\n";
  struct Case {
    std::string line;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {"praise,liked,Did you like it?,yes|no,true", "line 2: ticket_type 'praise'"},
           {"repair,Arrived,Arrived?,yes|no,true", "line 2: question_id 'Arrived'"},
           {"repair,arrived,,yes|no,true", "line 2: text: required"},
           {"repair,arrived,Arrived?,yes||no,true", "line 2: choices: an empty choice"},
           {"repair,arrived,Arrived?,yes|no,yes", "line 2: required 'yes'"},
           {"repair,arrived,Arrived?,yes|no", "line 2: expected 5 fields"},
       }) {
    absl::Status status = ParseQuestionFile(header + c.line + "\n").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.line;
    EXPECT_NE(status.message().find(c.expected), std::string::npos) << status;
  }
  absl::Status twice =
      ParseQuestionFile(header + "repair,a,A?,,false\nrepair,a,A again?,,false\n").status();
  EXPECT_NE(twice.message().find("line 3: question_id 'a' appears twice"), std::string::npos)
      << twice;
}

TEST(CheckAnswersTest, EveryRequiredQuestionAnsweredWithAChoice) {
  const std::vector<v1::Question> repair = DefaultQuestions()[TicketType::TICKET_TYPE_REPAIR];
  EXPECT_TRUE(CheckAnswers(repair, Answers({{"arrived_on_time", "yes"}})).ok());
  EXPECT_TRUE(
      CheckAnswers(repair, Answers({{"arrived_on_time", "no"}, {"crew_manner", "poor"}})).ok());

  absl::Status missing = CheckAnswers(repair, Answers({{"crew_manner", "good"}}));
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message().find("questions: 'arrived_on_time'"), std::string::npos) << missing;

  absl::Status not_a_choice = CheckAnswers(repair, Answers({{"arrived_on_time", "maybe"}}));
  EXPECT_NE(not_a_choice.message().find("questions[0].answer: 'maybe' is not one of yes, no"),
            std::string::npos)
      << not_a_choice;

  absl::Status unknown =
      CheckAnswers(repair, Answers({{"arrived_on_time", "yes"}, {"contacted", "yes"}}));
  EXPECT_NE(unknown.message().find("questions[1].question_id: 'contacted'"), std::string::npos)
      << unknown;

  absl::Status twice =
      CheckAnswers(repair, Answers({{"arrived_on_time", "yes"}, {"arrived_on_time", "no"}}));
  EXPECT_NE(twice.message().find("answered twice"), std::string::npos) << twice;
}

TEST(CheckAnswersTest, FreeTextHasALimit) {
  v1::Question free;
  free.set_question_id("anything_else");
  free.set_text("Anything else?");
  EXPECT_TRUE(CheckAnswers({free}, Answers({{"anything_else", "灯还是有点闪"}})).ok());
  absl::Status too_long = CheckAnswers({free}, Answers({{"anything_else", std::string(501, 'x')}}));
  EXPECT_NE(too_long.message().find("questions[0].answer: at most 500"), std::string::npos)
      << too_long;
}

}  // namespace
}  // namespace hotline::survey
