// How dispatch's order events move a ticket: forward moves apply, late or
// backward ones are ignored.

#include "services/intake/tickets/domain/order_event_rules.h"

#include <gtest/gtest.h>

namespace hotline::intake {
namespace {

using S = common::v1::TicketStatus;
using Kind = OrderEventDecision::Kind;

// Event sequences (Event.sequence): what orders events, not their clocks.
constexpr int64_t kT = 1000;

TEST(OrderEventRulesTest, EachTopicMovesARoutedTicketForward) {
  struct Case {
    const char* topic;
    S target;
  };
  for (const Case& c : {Case{"order.dispatched", S::TICKET_STATUS_DISPATCHED},
                        Case{"order.accepted", S::TICKET_STATUS_ACCEPTED},
                        Case{"order.progress", S::TICKET_STATUS_IN_PROGRESS},
                        Case{"order.resolved", S::TICKET_STATUS_RESOLVED},
                        Case{"order.not_dispatched", S::TICKET_STATUS_ANSWERED}}) {
    OrderEventDecision d = DecideOrderEvent(S::TICKET_STATUS_ROUTED, std::nullopt, c.topic, kT);
    EXPECT_EQ(d.kind, Kind::kApply) << c.topic;
    ASSERT_EQ(d.path.size(), 1u) << c.topic;
    EXPECT_EQ(d.path[0], c.target) << c.topic;
  }
  OrderEventDecision returned =
      DecideOrderEvent(S::TICKET_STATUS_DISPATCHED, kT, "order.returned", kT + 1);
  EXPECT_EQ(returned.kind, Kind::kApply);
  EXPECT_EQ(returned.path, std::vector<S>{S::TICKET_STATUS_RETURNED});
}

TEST(OrderEventRulesTest, ADispatchAfterAReturnGoesThroughRerouted) {
  OrderEventDecision d =
      DecideOrderEvent(S::TICKET_STATUS_RETURNED, kT, "order.dispatched", kT + 5);
  EXPECT_EQ(d.kind, Kind::kApply);
  EXPECT_EQ(d.path, (std::vector<S>{S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_DISPATCHED}));
}

TEST(OrderEventRulesTest, AnOrderSentBackAfterTheCallbackReopensATicketStillWaitingForIt) {
  // dispatch's order.dispatched may arrive before survey's callback.completed.
  OrderEventDecision waiting = DecideOrderEvent(S::TICKET_STATUS_CALLBACK, 5, "order.dispatched", 9,
                                                false, /*reopened_by_callback=*/true);
  EXPECT_EQ(waiting.kind, Kind::kApply);
  EXPECT_EQ(waiting.path, (std::vector<S>{S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_DISPATCHED}));
  OrderEventDecision resolved = DecideOrderEvent(S::TICKET_STATUS_RESOLVED, 5, "order.dispatched",
                                                 9, false, /*reopened_by_callback=*/true);
  EXPECT_EQ(resolved.path, (std::vector<S>{S::TICKET_STATUS_CALLBACK, S::TICKET_STATUS_REOPENED,
                                           S::TICKET_STATUS_DISPATCHED}));
  // Without the mark, a dispatch of a resolved ticket is a move backwards.
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_CALLBACK, 5, "order.dispatched", 9).kind,
            Kind::kIgnore);
  // Already reopened by the callback event: the usual move.
  OrderEventDecision reopened = DecideOrderEvent(S::TICKET_STATUS_REOPENED, 5, "order.dispatched",
                                                 9, false, /*reopened_by_callback=*/true);
  EXPECT_EQ(reopened.path, (std::vector<S>{S::TICKET_STATUS_DISPATCHED}));
}

TEST(OrderEventRulesTest, BackwardMovesAreIgnored) {
  OrderEventDecision d =
      DecideOrderEvent(S::TICKET_STATUS_IN_PROGRESS, std::nullopt, "order.accepted", kT);
  EXPECT_EQ(d.kind, Kind::kIgnore);
  EXPECT_NE(d.reason.find("not a move forward"), std::string::npos) << d.reason;
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_RESOLVED, std::nullopt, "order.progress", kT).kind,
            Kind::kIgnore);
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_CANCELLED, std::nullopt, "order.dispatched", kT).kind,
            Kind::kIgnore);
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_CLOSED, std::nullopt, "order.resolved", kT).kind,
            Kind::kIgnore);
}

TEST(OrderEventRulesTest, AnEventOlderThanTheNewestAppliedIsLate) {
  // The redispatch (t+3) arrived before the return (t+2) it follows.
  OrderEventDecision d =
      DecideOrderEvent(S::TICKET_STATUS_DISPATCHED, kT + 3, "order.returned", kT + 2);
  EXPECT_EQ(d.kind, Kind::kIgnore);
  EXPECT_NE(d.reason.find("late"), std::string::npos) << d.reason;
}

TEST(OrderEventRulesTest, RepeatsOfTheCurrentStageAreOnlyRecorded) {
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_IN_PROGRESS, kT, "order.progress", kT + 1).kind,
            Kind::kRecordOnly);
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_ROUTED, std::nullopt, "order.unheard_of", kT).kind,
            Kind::kIgnore);
}

TEST(OrderEventRulesTest, AnOrderWaitingWithTheDispatchersIsNotDispatchedYet) {
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_ROUTED, std::nullopt, "order.dispatched", kT,
                             /*with_dispatcher=*/true)
                .kind,
            Kind::kRecordOnly);
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_ROUTED, kT, "order.dispatched", kT - 1,
                             /*with_dispatcher=*/true)
                .kind,
            Kind::kIgnore);
}

TEST(OrderEventRulesTest, TheSequenceOrdersEventsWhateverTheirClocksSay) {
  // The return (sequence 2) was written after the dispatch (sequence 1) even
  // if the sender's clock stepped back between them: it applies.
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_DISPATCHED, 1, "order.returned", 2).kind,
            Kind::kApply);
  // An event without a sequence is not judged late.
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_DISPATCHED, 5, "order.returned", 0).kind,
            Kind::kApply);
}

// A dissatisfied callback reopens the ticket; dispatch sends the order back
// to its branch (order.dispatched again, written after everything before),
// and the ticket goes through the order's path once more.
TEST(OrderEventRulesTest, AReopenedTicketGoesBackToWork) {
  S status = S::TICKET_STATUS_REOPENED;
  int64_t last = kT + 4;  // the first round's order.resolved
  int64_t sequence = kT + 10;
  for (const auto& [topic, target] :
       std::vector<std::pair<const char*, S>>{{"order.dispatched", S::TICKET_STATUS_DISPATCHED},
                                              {"order.accepted", S::TICKET_STATUS_ACCEPTED},
                                              {"order.progress", S::TICKET_STATUS_IN_PROGRESS},
                                              {"order.resolved", S::TICKET_STATUS_RESOLVED}}) {
    OrderEventDecision d = DecideOrderEvent(status, last, topic, sequence);
    ASSERT_EQ(d.kind, Kind::kApply) << topic << ": " << d.reason;
    EXPECT_EQ(d.path, std::vector<S>{target}) << topic;
    status = target;
    last = sequence++;
  }
  // A branch that reports the result at once skips the steps between.
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_REOPENED, kT + 4, "order.resolved", kT + 10).path,
            std::vector<S>{S::TICKET_STATUS_RESOLVED});
}

// The first round's events delivered again after the reopening are late: the
// ticket stays reopened until the order is sent back.
TEST(OrderEventRulesTest, TheFirstRoundsEventsDoNotMoveAReopenedTicket) {
  OrderEventDecision d =
      DecideOrderEvent(S::TICKET_STATUS_REOPENED, kT + 4, "order.progress", kT + 3);
  EXPECT_EQ(d.kind, Kind::kIgnore);
  EXPECT_NE(d.reason.find("late"), std::string::npos) << d.reason;
  // Waiting with the dispatchers (no branch took it yet) is only recorded.
  EXPECT_EQ(DecideOrderEvent(S::TICKET_STATUS_REOPENED, kT + 4, "order.dispatched", kT + 10,
                             /*with_dispatcher=*/true)
                .kind,
            Kind::kRecordOnly);
}

TEST(OrderEventRulesTest, TopicsAreTheSixOfDispatch) { EXPECT_EQ(OrderEventTopics().size(), 6u); }

}  // namespace
}  // namespace hotline::intake
