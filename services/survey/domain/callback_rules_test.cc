#include "services/survey/domain/callback_rules.h"

#include <gtest/gtest.h>

#include "libs/proto_time/proto_time.h"

namespace hotline::survey {
namespace {

using common::v1::TicketType;

const absl::Time kResolved =
    absl::FromCivil(absl::CivilSecond(2026, 7, 14, 10, 0, 0), absl::UTCTimeZone());

v1::CallbackTask RepairTask() {
  common::v1::CustomerContact customer;
  customer.set_name("王芳");
  customer.set_phone("13812345678");
  return NewTask("task-1", "ticket-1", "R20260714-0001", TicketType::TICKET_TYPE_REPAIR, "B-07",
                 customer, kResolved, absl::Hours(24));
}

AttemptRules Rules() { return AttemptRules{absl::Minutes(15), 3, absl::Minutes(10)}; }

TEST(AttemptTest, AnAttemptTenMinutesAfterTheLastIsRefused) {
  v1::CallbackTask task = RepairTask();
  ASSERT_TRUE(
      AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved, "agent-1", "", Rules()).ok());
  absl::Status early = AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved + absl::Minutes(10),
                                  "agent-1", "", Rules());
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition) << early;
  EXPECT_NE(early.message().find("15m"), std::string::npos) << early;
  EXPECT_EQ(task.attempts_size(), 1);
  EXPECT_EQ(task.state(), v1::CALLBACK_STATE_OPEN);
  EXPECT_TRUE(AddAttempt(task, v1::ATTEMPT_RESULT_BUSY, kResolved + absl::Minutes(15), "agent-1",
                         "", Rules())
                  .ok());
  EXPECT_EQ(task.attempts_size(), 2);
}

TEST(AttemptTest, ThreeUnansweredAttemptsFifteenMinutesApartMakeTheTaskUnreachable) {
  v1::CallbackTask task = RepairTask();
  const v1::AttemptResult results[] = {v1::ATTEMPT_RESULT_NO_ANSWER, v1::ATTEMPT_RESULT_BUSY,
                                       v1::ATTEMPT_RESULT_WRONG_NUMBER};
  for (int i = 0; i < 3; ++i) {
    const absl::Time at = kResolved + absl::Minutes(15 * i);
    ASSERT_TRUE(AddAttempt(task, results[i], at, "agent-1", "", Rules()).ok());
    if (i < 2) {
      EXPECT_EQ(task.state(), v1::CALLBACK_STATE_OPEN) << "after " << i + 1 << " attempts";
      EXPECT_EQ(FromProtoTime(task.next_attempt_at()), at + absl::Minutes(15));
      EXPECT_TRUE(task.leased_by().empty()) << "an unanswered attempt gives the task back";
    }
  }
  EXPECT_EQ(task.state(), v1::CALLBACK_STATE_UNREACHABLE);
  EXPECT_EQ(FromProtoTime(task.completed_at()), kResolved + absl::Minutes(30));
  ASSERT_EQ(task.attempts_size(), 3);
  EXPECT_EQ(task.attempts(2).number(), 3);
  EXPECT_EQ(task.attempts(2).result(), v1::ATTEMPT_RESULT_WRONG_NUMBER);
  EXPECT_EQ(OutcomeOf(task), v1::CALLBACK_OUTCOME_UNREACHABLE);
  EXPECT_EQ(AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved + absl::Hours(2), "agent-1",
                       "", Rules())
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(AttemptTest, TheNumbersAreSettings) {
  v1::CallbackTask task = RepairTask();
  const AttemptRules two_an_hour_apart{absl::Hours(1), 2, absl::Minutes(10)};
  ASSERT_TRUE(
      AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved, "a", "", two_an_hour_apart).ok());
  EXPECT_EQ(AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved + absl::Minutes(30), "a", "",
                       two_an_hour_apart)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved + absl::Hours(1), "a", "",
                         two_an_hour_apart)
                  .ok());
  EXPECT_EQ(task.state(), v1::CALLBACK_STATE_UNREACHABLE);
}

TEST(AttemptTest, OnlyAttemptsFarEnoughApartCountTowardsUnreachable) {
  // Attempts stored under a shorter spacing (the setting was changed) count
  // only where each is 15 minutes after the last one counted.
  v1::CallbackTask task = RepairTask();
  for (int minutes : {0, 5, 10, 15}) {
    v1::Attempt* attempt = task.add_attempts();
    attempt->set_result(v1::ATTEMPT_RESULT_NO_ANSWER);
    *attempt->mutable_at() = ToProtoTime(kResolved + absl::Minutes(minutes));
  }
  EXPECT_EQ(CountedUnanswered(task, absl::Minutes(15)), 2);
  EXPECT_EQ(CountedUnanswered(task, absl::Minutes(5)), 4);
}

TEST(AttemptTest, AnAnsweredCallKeepsTheTaskWithItsAgentAndDoesNotCount) {
  v1::CallbackTask task = RepairTask();
  ASSERT_TRUE(
      AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved, "agent-1", "", Rules()).ok());
  ASSERT_TRUE(AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved + absl::Minutes(15),
                         "agent-1", "", Rules())
                  .ok());
  ASSERT_TRUE(AddAttempt(task, v1::ATTEMPT_RESULT_ANSWERED, kResolved + absl::Minutes(30),
                         "agent-1", "picked up", Rules())
                  .ok());
  EXPECT_EQ(task.state(), v1::CALLBACK_STATE_OPEN);
  EXPECT_EQ(task.leased_by(), "agent-1");
  EXPECT_EQ(CountedUnanswered(task, absl::Minutes(15)), 2);
  // Another agent may not take the answer while the lease holds.
  v1::Answer answer;
  answer.set_satisfaction(v1::SATISFACTION_SATISFIED);
  absl::Status other = AddAnswer(task, answer, kResolved + absl::Minutes(35), "agent-2");
  EXPECT_EQ(other.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(other.message().find("agent-1"), std::string::npos) << other;
}

TEST(AttemptTest, AnotherAgentMayCallOnceTheLeaseRunsOut) {
  v1::CallbackTask task = RepairTask();
  Lease(task, "agent-1", kResolved, Rules());
  EXPECT_TRUE(LeasedByOther(task, "agent-2", kResolved + absl::Minutes(9)));
  EXPECT_FALSE(LeasedByOther(task, "agent-1", kResolved + absl::Minutes(9)));
  EXPECT_FALSE(LeasedByOther(task, "agent-2", kResolved + absl::Minutes(10)));
  EXPECT_TRUE(AddAttempt(task, v1::ATTEMPT_RESULT_BUSY, kResolved + absl::Minutes(10), "agent-2",
                         "", Rules())
                  .ok());
}

TEST(AnswerTest, NeedsAnAnsweredCall) {
  v1::CallbackTask task = RepairTask();
  v1::Answer answer;
  answer.set_satisfaction(v1::SATISFACTION_SATISFIED);
  answer.set_solved(true);
  EXPECT_EQ(AddAnswer(task, answer, kResolved, "agent-1").code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(
      AddAttempt(task, v1::ATTEMPT_RESULT_NO_ANSWER, kResolved, "agent-1", "", Rules()).ok());
  EXPECT_EQ(AddAnswer(task, answer, kResolved, "agent-1").code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AddAttempt(task, v1::ATTEMPT_RESULT_ANSWERED, kResolved + absl::Minutes(20),
                         "agent-1", "", Rules())
                  .ok());
  // Only the agent who had the customer on the line, even once the lease ran out.
  EXPECT_EQ(AddAnswer(task, answer, kResolved + absl::Minutes(45), "agent-2").code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AddAnswer(task, answer, kResolved + absl::Minutes(22), "agent-1").ok());
  EXPECT_EQ(task.state(), v1::CALLBACK_STATE_ANSWERED);
  EXPECT_EQ(task.answer().agent(), "agent-1");
  EXPECT_EQ(FromProtoTime(task.completed_at()), kResolved + absl::Minutes(22));
  EXPECT_TRUE(task.leased_by().empty());
  EXPECT_EQ(OutcomeOf(task), v1::CALLBACK_OUTCOME_SATISFIED);
}

TEST(OutcomeTest, DissatisfiedOrUnsolvedReopens) {
  v1::Answer answer;
  answer.set_satisfaction(v1::SATISFACTION_BASICALLY_SATISFIED);
  answer.set_solved(true);
  EXPECT_EQ(OutcomeOf(answer), v1::CALLBACK_OUTCOME_SATISFIED);
  answer.set_solved(false);
  EXPECT_EQ(OutcomeOf(answer), v1::CALLBACK_OUTCOME_DISSATISFIED);
  answer.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  answer.set_solved(true);
  EXPECT_EQ(OutcomeOf(answer), v1::CALLBACK_OUTCOME_DISSATISFIED);
}

TEST(NeedTest, RepairsComplaintsAndNamedReportsAreCalledBack) {
  EXPECT_EQ(NeedOf(TicketType::TICKET_TYPE_REPAIR, false), CallbackNeed::kCall);
  EXPECT_EQ(NeedOf(TicketType::TICKET_TYPE_COMPLAINT, false), CallbackNeed::kCall);
  EXPECT_EQ(NeedOf(TicketType::TICKET_TYPE_REPORT, false), CallbackNeed::kCall);
  EXPECT_EQ(NeedOf(TicketType::TICKET_TYPE_REPORT, true), CallbackNeed::kNotCalled);
  EXPECT_EQ(NeedOf(TicketType::TICKET_TYPE_CONSULTATION, false), CallbackNeed::kNone);
}

TEST(PresentedTest, ANamedReporterIsMaskedForEveryRoleButDiscipline) {
  v1::CallbackTask report = RepairTask();
  report.set_ticket_type(TicketType::TICKET_TYPE_REPORT);
  const v1::CallbackTask for_agent = Presented(report, auth::Role::kAgent);
  EXPECT_EQ(for_agent.customer().name(), "王*");
  EXPECT_EQ(for_agent.customer().phone(), "138****5678");
  EXPECT_TRUE(for_agent.customer_masked());
  EXPECT_EQ(Presented(report, auth::Role::kAdmin).customer().phone(), "138****5678");
  const v1::CallbackTask for_discipline = Presented(report, auth::Role::kDiscipline);
  EXPECT_EQ(for_discipline.customer().phone(), "13812345678");
  EXPECT_FALSE(for_discipline.customer_masked());
  EXPECT_EQ(Presented(RepairTask(), auth::Role::kAgent).customer().phone(), "13812345678");
}

TEST(CallbackEventTest, CarriesTheAnswer) {
  v1::CallbackTask task = RepairTask();
  ASSERT_TRUE(
      AddAttempt(task, v1::ATTEMPT_RESULT_ANSWERED, kResolved, "agent-1", "", Rules()).ok());
  v1::Answer answer;
  answer.set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  answer.set_comment("the power went off again the same night");
  ASSERT_TRUE(AddAnswer(task, answer, kResolved + absl::Minutes(3), "agent-1").ok());
  const v1::CallbackEvent event = MakeCallbackEvent(task, "order-9", kResolved + absl::Minutes(3));
  EXPECT_EQ(event.outcome(), v1::CALLBACK_OUTCOME_DISSATISFIED);
  EXPECT_EQ(event.ticket_id(), "ticket-1");
  EXPECT_EQ(event.branch_id(), "B-07");
  EXPECT_EQ(event.order_id(), "order-9");
  EXPECT_EQ(event.comment(), "the power went off again the same night");
  EXPECT_EQ(event.attempts(), 1);
}

}  // namespace
}  // namespace hotline::survey
