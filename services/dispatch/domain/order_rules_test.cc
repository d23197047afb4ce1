// What a finished customer callback does to an order: the one way back from
// resolved.

#include "services/dispatch/domain/order_rules.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace hotline::dispatch {
namespace {

using survey::v1::CallbackOutcome;

constexpr char kBranch[] = "SS-SX";

CallbackFacts Dissatisfied(const std::string& comment) {
  CallbackFacts f;
  f.outcome = survey::v1::CALLBACK_OUTCOME_DISSATISFIED;
  f.satisfaction = survey::v1::SATISFACTION_DISSATISFIED;
  f.solved = false;
  f.comment = comment;
  return f;
}

TEST(DecideCallbackTest, DissatisfiedCustomerSendsTheResolvedOrderBackWithTheirWords) {
  CallbackDecision d = DecideCallback(v1::ORDER_STATUS_RESOLVED, kBranch,
                                      Dissatisfied("  the lights still flicker every evening \n"));
  EXPECT_TRUE(d.reopen);
  EXPECT_EQ(d.reason,
            "callback: customer dissatisfied, problem not solved: the lights still flicker every "
            "evening");
}

TEST(DecideCallbackTest, ReasonSaysOnlyWhatTheCustomerSaid) {
  CallbackFacts unsolved = Dissatisfied("");
  unsolved.satisfaction = survey::v1::SATISFACTION_BASICALLY_SATISFIED;
  CallbackDecision d = DecideCallback(v1::ORDER_STATUS_RESOLVED, kBranch, unsolved);
  EXPECT_TRUE(d.reopen);
  EXPECT_EQ(d.reason, "callback: problem not solved");

  CallbackFacts solved_but_unhappy = Dissatisfied("the crew was rude");
  solved_but_unhappy.solved = true;
  d = DecideCallback(v1::ORDER_STATUS_RESOLVED, kBranch, solved_but_unhappy);
  EXPECT_TRUE(d.reopen);
  EXPECT_EQ(d.reason, "callback: customer dissatisfied: the crew was rude");
}

TEST(DecideCallbackTest, OtherOutcomesLeaveTheOrderAsItIs) {
  for (CallbackOutcome outcome :
       {survey::v1::CALLBACK_OUTCOME_SATISFIED, survey::v1::CALLBACK_OUTCOME_UNREACHABLE,
        survey::v1::CALLBACK_OUTCOME_NOT_CALLED, survey::v1::CALLBACK_OUTCOME_UNSPECIFIED}) {
    CallbackFacts f = Dissatisfied("whatever");
    f.outcome = outcome;
    CallbackDecision d = DecideCallback(v1::ORDER_STATUS_RESOLVED, kBranch, f);
    EXPECT_FALSE(d.reopen) << survey::v1::CallbackOutcome_Name(outcome);
    EXPECT_TRUE(absl::StrContains(d.reason, "the order stays as it is")) << d.reason;
  }
}

TEST(DecideCallbackTest, OnlyAResolvedOrderGoesBack) {
  for (OrderStatus status : {v1::ORDER_STATUS_DISPATCHED, v1::ORDER_STATUS_WITH_DISPATCHER,
                             v1::ORDER_STATUS_ACCEPTED, v1::ORDER_STATUS_IN_PROGRESS,
                             v1::ORDER_STATUS_CANCELLED, v1::ORDER_STATUS_NOT_DISPATCHED}) {
    CallbackDecision d = DecideCallback(status, kBranch, Dissatisfied("not fixed"));
    EXPECT_FALSE(d.reopen) << v1::OrderStatus_Name(status);
    EXPECT_TRUE(absl::StrContains(d.reason, "only a resolved order goes back")) << d.reason;
  }
  // Sent back already and not resolved again: a second dissatisfied callback
  // changes nothing more.
  CallbackDecision again =
      DecideCallback(v1::ORDER_STATUS_DISPATCHED, kBranch, Dissatisfied("still not fixed"));
  EXPECT_FALSE(again.reopen);
  EXPECT_EQ(again.reason, "the order is dispatched: only a resolved order goes back to its branch");
}

TEST(DecideCallbackTest, ResolvedOrderWithoutABranchStays) {
  CallbackDecision d = DecideCallback(v1::ORDER_STATUS_RESOLVED, "", Dissatisfied("not fixed"));
  EXPECT_FALSE(d.reopen);
  EXPECT_EQ(d.reason, "the order has no branch to go back to");
}

}  // namespace
}  // namespace hotline::dispatch
