// How survey's callback events move a ticket: resolved -> callback ->
// closed or reopened; late, repeated and misplaced events are ignored.

#include "services/intake/tickets/domain/callback_event_rules.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/intake/tickets/domain/ticket_state_machine.h"

namespace hotline::intake {
namespace {

using S = common::v1::TicketStatus;
using Kind = CallbackEventDecision::Kind;
using survey::v1::CallbackOutcome;

constexpr char kScheduled[] = "callback.scheduled";
constexpr char kCompleted[] = "callback.completed";

survey::v1::CallbackEvent Completed(CallbackOutcome outcome) {
  survey::v1::CallbackEvent callback;
  callback.set_task_id("T-1");
  callback.set_ticket_type(common::v1::TICKET_TYPE_REPAIR);
  callback.set_outcome(outcome);
  return callback;
}

// Every path a decision names is one the state machine allows.
void ExpectLegal(S from, const CallbackEventDecision& d) {
  S at = from;
  for (S next : d.path) {
    EXPECT_TRUE(TicketStateMachine::Allows(at, next))
        << StatusName(at) << " -> " << StatusName(next);
    at = next;
  }
}

TEST(CallbackEventRulesTest, AScheduledCallbackMovesAResolvedTicketToCallback) {
  CallbackEventDecision d = DecideCallbackEvent(S::TICKET_STATUS_RESOLVED, std::nullopt, kScheduled,
                                                7, survey::v1::CallbackEvent());
  EXPECT_EQ(d.kind, Kind::kApply);
  EXPECT_EQ(d.path, std::vector<S>{S::TICKET_STATUS_CALLBACK});
  ExpectLegal(S::TICKET_STATUS_RESOLVED, d);
}

TEST(CallbackEventRulesTest, EachOutcomeClosesOrReopensTheTicket) {
  struct Case {
    CallbackOutcome outcome;
    S from;
    std::vector<S> path;
  };
  const S kResolved = S::TICKET_STATUS_RESOLVED;
  const S kCallback = S::TICKET_STATUS_CALLBACK;
  const S kClosed = S::TICKET_STATUS_CLOSED;
  const S kReopened = S::TICKET_STATUS_REOPENED;
  for (const Case& c : {
           Case{survey::v1::CALLBACK_OUTCOME_SATISFIED, kCallback, {kClosed}},
           Case{survey::v1::CALLBACK_OUTCOME_UNREACHABLE, kCallback, {kClosed}},
           Case{survey::v1::CALLBACK_OUTCOME_DISSATISFIED, kCallback, {kReopened}},
           Case{survey::v1::CALLBACK_OUTCOME_NOT_CALLED, kCallback, {kClosed}},
           // The completion came before the scheduling: through callback.
           Case{survey::v1::CALLBACK_OUTCOME_SATISFIED, kResolved, {kCallback, kClosed}},
           Case{survey::v1::CALLBACK_OUTCOME_UNREACHABLE, kResolved, {kCallback, kClosed}},
           Case{survey::v1::CALLBACK_OUTCOME_DISSATISFIED, kResolved, {kCallback, kReopened}},
           // An anonymous report is never called: closed at once.
           Case{survey::v1::CALLBACK_OUTCOME_NOT_CALLED, kResolved, {kClosed}},
       }) {
    CallbackEventDecision d = DecideCallbackEvent(c.from, 3, kCompleted, 8, Completed(c.outcome));
    const std::string what =
        absl::StrCat(CallbackOutcome_Name(c.outcome), " from ", StatusName(c.from));
    EXPECT_EQ(d.kind, Kind::kApply) << what << ": " << d.reason;
    EXPECT_EQ(d.path, c.path) << what;
    ExpectLegal(c.from, d);
  }
}

// The scheduling that arrives after the completion, a repeat, or any event
// for a ticket that is neither resolved nor waiting for its callback.
TEST(CallbackEventRulesTest, EventsThatDoNotFitTheTicketsStatusAreIgnored) {
  for (S status : {S::TICKET_STATUS_CLOSED, S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_DISPATCHED,
                   S::TICKET_STATUS_CANCELLED}) {
    CallbackEventDecision d =
        DecideCallbackEvent(status, std::nullopt, kScheduled, 0, survey::v1::CallbackEvent());
    EXPECT_EQ(d.kind, Kind::kIgnore) << StatusName(status);
    EXPECT_NE(d.reason.find(absl::StrCat("ticket is ", StatusName(status))), std::string::npos)
        << d.reason;
    EXPECT_EQ(DecideCallbackEvent(status, std::nullopt, kCompleted, 0,
                                  Completed(survey::v1::CALLBACK_OUTCOME_SATISFIED))
                  .kind,
              Kind::kIgnore)
        << StatusName(status);
  }
  CallbackEventDecision again =
      DecideCallbackEvent(S::TICKET_STATUS_CALLBACK, 5, kScheduled, 6, survey::v1::CallbackEvent());
  EXPECT_EQ(again.kind, Kind::kIgnore);
  EXPECT_EQ(again.reason, "the ticket is waiting for its callback already");
}

// The first callback's scheduling, delivered late after the ticket was
// reopened and resolved again, does not start the second one.
TEST(CallbackEventRulesTest, AnEventWrittenBeforeTheNewestAppliedIsLate) {
  CallbackEventDecision d = DecideCallbackEvent(S::TICKET_STATUS_RESOLVED, 12, kScheduled, 10,
                                                survey::v1::CallbackEvent());
  EXPECT_EQ(d.kind, Kind::kIgnore);
  EXPECT_NE(d.reason.find("late"), std::string::npos) << d.reason;
  // Without a sequence the status alone decides.
  EXPECT_EQ(
      DecideCallbackEvent(S::TICKET_STATUS_RESOLVED, 12, kScheduled, 0, survey::v1::CallbackEvent())
          .kind,
      Kind::kApply);
}

TEST(CallbackEventRulesTest, ACompletionWithoutAnOutcomeOrAnUnknownTopicIsIgnored) {
  EXPECT_EQ(DecideCallbackEvent(S::TICKET_STATUS_CALLBACK, std::nullopt, kCompleted, 1,
                                Completed(survey::v1::CALLBACK_OUTCOME_UNSPECIFIED))
                .kind,
            Kind::kIgnore);
  EXPECT_EQ(DecideCallbackEvent(S::TICKET_STATUS_RESOLVED, std::nullopt, "callback.cancelled", 1,
                                survey::v1::CallbackEvent())
                .kind,
            Kind::kIgnore);
  EXPECT_EQ(CallbackEventTopics(), (std::vector<std::string>{kScheduled, kCompleted}));
}

TEST(CallbackEventRulesTest, TheHistoryTellsWhatTheCustomerSaid) {
  survey::v1::CallbackEvent dissatisfied = Completed(survey::v1::CALLBACK_OUTCOME_DISSATISFIED);
  dissatisfied.set_satisfaction(survey::v1::SATISFACTION_DISSATISFIED);
  dissatisfied.set_comment("还是经常停电");
  dissatisfied.set_attempts(2);
  EXPECT_EQ(DescribeCallback(kCompleted, dissatisfied),
            "callback: customer dissatisfied, problem not solved: 还是经常停电 (2 attempts)");

  survey::v1::CallbackEvent satisfied = Completed(survey::v1::CALLBACK_OUTCOME_SATISFIED);
  satisfied.set_satisfaction(survey::v1::SATISFACTION_BASICALLY_SATISFIED);
  satisfied.set_solved(true);
  satisfied.set_attempts(1);
  EXPECT_EQ(DescribeCallback(kCompleted, satisfied),
            "callback: customer basically satisfied, problem solved (1 attempt)");

  // Satisfied with the service, but the problem is not solved.
  survey::v1::CallbackEvent unsolved = Completed(survey::v1::CALLBACK_OUTCOME_DISSATISFIED);
  unsolved.set_satisfaction(survey::v1::SATISFACTION_SATISFIED);
  EXPECT_EQ(DescribeCallback(kCompleted, unsolved),
            "callback: customer satisfied, problem not solved");
  // Solved, but the customer did not like how.
  survey::v1::CallbackEvent rude = Completed(survey::v1::CALLBACK_OUTCOME_DISSATISFIED);
  rude.set_satisfaction(survey::v1::SATISFACTION_DISSATISFIED);
  rude.set_solved(true);
  rude.set_comment("态度不好");
  EXPECT_EQ(DescribeCallback(kCompleted, rude), "callback: customer dissatisfied: 态度不好");

  survey::v1::CallbackEvent unreachable = Completed(survey::v1::CALLBACK_OUTCOME_UNREACHABLE);
  unreachable.set_attempts(3);
  EXPECT_EQ(DescribeCallback(kCompleted, unreachable),
            "callback: customer unreachable after 3 attempts");

  survey::v1::CallbackEvent not_called = Completed(survey::v1::CALLBACK_OUTCOME_NOT_CALLED);
  not_called.set_task_id("");
  not_called.set_ticket_type(common::v1::TICKET_TYPE_REPORT);
  EXPECT_EQ(DescribeCallback(kCompleted, not_called), "no callback: anonymous report");

  EXPECT_EQ(DescribeCallback(kScheduled, Completed(survey::v1::CALLBACK_OUTCOME_UNSPECIFIED)),
            "callback scheduled (task T-1)");
}

}  // namespace
}  // namespace hotline::intake
