// The ticket state machine: every legal move, and illegal ones refused with
// FAILED_PRECONDITION.

#include "services/intake/tickets/domain/ticket_state_machine.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace hotline::intake {
namespace {

using S = common::v1::TicketStatus;

const std::set<std::pair<S, S>>& LegalMoves() {
  static const std::set<std::pair<S, S>> kMoves = {
      {S::TICKET_STATUS_CREATED, S::TICKET_STATUS_ANSWERED},
      {S::TICKET_STATUS_CREATED, S::TICKET_STATUS_LINKED_TO_OUTAGE},
      {S::TICKET_STATUS_CREATED, S::TICKET_STATUS_ROUTED},
      {S::TICKET_STATUS_CREATED, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_ANSWERED, S::TICKET_STATUS_CLOSED},
      {S::TICKET_STATUS_LINKED_TO_OUTAGE, S::TICKET_STATUS_ROUTED},
      {S::TICKET_STATUS_LINKED_TO_OUTAGE, S::TICKET_STATUS_RESOLVED},
      {S::TICKET_STATUS_LINKED_TO_OUTAGE, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_DISPATCHED},
      {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_ACCEPTED},
      {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_IN_PROGRESS},
      {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_RESOLVED},
      {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_ANSWERED},
      {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_ACCEPTED},
      {S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_IN_PROGRESS},
      {S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_RESOLVED},
      {S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_RETURNED},
      {S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_IN_PROGRESS},
      {S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_RESOLVED},
      {S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_RETURNED},
      {S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_IN_PROGRESS, S::TICKET_STATUS_RESOLVED},
      {S::TICKET_STATUS_IN_PROGRESS, S::TICKET_STATUS_RETURNED},
      {S::TICKET_STATUS_IN_PROGRESS, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_CALLBACK},
      {S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_CLOSED},
      {S::TICKET_STATUS_CALLBACK, S::TICKET_STATUS_CLOSED},
      {S::TICKET_STATUS_CALLBACK, S::TICKET_STATUS_REOPENED},
      {S::TICKET_STATUS_RETURNED, S::TICKET_STATUS_REROUTED},
      {S::TICKET_STATUS_RETURNED, S::TICKET_STATUS_ANSWERED},
      {S::TICKET_STATUS_RETURNED, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_DISPATCHED},
      {S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_ACCEPTED},
      {S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_IN_PROGRESS},
      {S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_RESOLVED},
      {S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_ANSWERED},
      {S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_CANCELLED},
      {S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_ROUTED},
      {S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_DISPATCHED},
      {S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_ACCEPTED},
      {S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_IN_PROGRESS},
      {S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_RESOLVED},
      {S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_CANCELLED},
  };
  return kMoves;
}

TEST(TicketStateMachineTest, EveryLegalMoveIsAllowed) {
  for (const auto& [from, to] : LegalMoves()) {
    TicketStateMachine machine(from);
    EXPECT_TRUE(machine.MoveTo(to).ok()) << StatusName(from) << " -> " << StatusName(to);
    EXPECT_EQ(machine.status(), to);
  }
}

TEST(TicketStateMachineTest, EveryOtherPairIsRefusedWithFailedPrecondition) {
  int refused = 0;
  for (int f = 0; f <= 14; ++f) {
    for (int t = 0; t <= 14; ++t) {
      auto from = static_cast<S>(f);
      auto to = static_cast<S>(t);
      if (LegalMoves().count({from, to}) != 0) {
        continue;
      }
      TicketStateMachine machine(from);
      absl::Status status = machine.MoveTo(to);
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition)
          << StatusName(from) << " -> " << StatusName(to);
      EXPECT_EQ(machine.status(), from);
      ++refused;
    }
  }
  EXPECT_GT(refused, 150);
}

TEST(TicketStateMachineTest, IllegalMovesSayWhy) {
  EXPECT_EQ(TicketStateMachine::CheckMove(S::TICKET_STATUS_CANCELLED, S::TICKET_STATUS_CANCELLED)
                .message(),
            "ticket is cancelled; it cannot become cancelled");
  EXPECT_EQ(TicketStateMachine::CheckMove(S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_DISPATCHED)
                .message(),
            "ticket is resolved; it cannot become dispatched");
  EXPECT_FALSE(TicketStateMachine::Allows(S::TICKET_STATUS_CLOSED, S::TICKET_STATUS_REOPENED));
  EXPECT_FALSE(TicketStateMachine::Allows(S::TICKET_STATUS_ACCEPTED, S::TICKET_STATUS_DISPATCHED));
  EXPECT_FALSE(TicketStateMachine::Allows(S::TICKET_STATUS_RETURNED, S::TICKET_STATUS_DISPATCHED));
}

TEST(TicketStateMachineTest, AWholeRepairWalksThroughToClosed) {
  TicketStateMachine machine(S::TICKET_STATUS_CREATED);
  for (S next : {S::TICKET_STATUS_ROUTED, S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_RETURNED,
                 S::TICKET_STATUS_REROUTED, S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_ACCEPTED,
                 S::TICKET_STATUS_IN_PROGRESS, S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_CALLBACK,
                 S::TICKET_STATUS_REOPENED, S::TICKET_STATUS_DISPATCHED, S::TICKET_STATUS_RESOLVED,
                 S::TICKET_STATUS_CALLBACK, S::TICKET_STATUS_CLOSED}) {
    ASSERT_TRUE(machine.MoveTo(next).ok()) << StatusName(next);
  }
}

TEST(TicketStateMachineTest, OpenAndWithDispatch) {
  EXPECT_TRUE(TicketStateMachine::IsOpen(S::TICKET_STATUS_LINKED_TO_OUTAGE));
  EXPECT_FALSE(TicketStateMachine::IsWithDispatch(S::TICKET_STATUS_LINKED_TO_OUTAGE));
  EXPECT_TRUE(TicketStateMachine::IsWithDispatch(S::TICKET_STATUS_RETURNED));
  for (S closed : {S::TICKET_STATUS_ANSWERED, S::TICKET_STATUS_RESOLVED, S::TICKET_STATUS_CALLBACK,
                   S::TICKET_STATUS_CLOSED, S::TICKET_STATUS_CANCELLED}) {
    EXPECT_FALSE(TicketStateMachine::IsOpen(closed)) << StatusName(closed);
    EXPECT_FALSE(TicketStateMachine::IsWithDispatch(closed)) << StatusName(closed);
  }
  // Open is exactly "may be cancelled".
  for (int s = 1; s <= 14; ++s) {
    auto status = static_cast<S>(s);
    EXPECT_EQ(TicketStateMachine::IsOpen(status),
              TicketStateMachine::Allows(status, S::TICKET_STATUS_CANCELLED))
        << StatusName(status);
  }
}

}  // namespace
}  // namespace hotline::intake
