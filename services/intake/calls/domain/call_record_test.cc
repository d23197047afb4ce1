#include "services/intake/calls/domain/call_record.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "services/intake/calls/testdata/call_events.h"

namespace hotline::intake {
namespace {

using testdata::Event;
using testdata::kT0;

CallEvent Offered(std::string id, int second, CallRoute route, std::string queue = "repair") {
  CallEvent e = Event(std::move(id), CallEventKind::kOffered, second);
  e.route = route;
  e.queue = std::move(queue);
  e.channel = "phone";
  return e;
}

CallEvent Queued(std::string id, int second, std::string queue = "repair") {
  CallEvent e = Event(std::move(id), CallEventKind::kQueued, second);
  e.queue = std::move(queue);
  return e;
}

CallEvent Answered(std::string id, int second, std::string agent, int ring, int wait) {
  CallEvent e = Event(std::move(id), CallEventKind::kAnswered, second);
  e.agent_id = std::move(agent);
  e.ring_seconds = ring;
  e.wait_seconds = wait;
  return e;
}

CallEvent Muted(std::string id, int second, int seconds) {
  CallEvent e = Event(std::move(id), CallEventKind::kMuted, second);
  e.mute_seconds = seconds;
  return e;
}

CallEvent Ended(std::string id, int second, int talk) {
  CallEvent e = Event(std::move(id), CallEventKind::kEnded, second);
  e.talk_seconds = talk;
  return e;
}

CallEvent Abandoned(std::string id, int second, AbandonStage stage, int wait) {
  CallEvent e = Event(std::move(id), CallEventKind::kAbandoned, second);
  e.abandon_stage = stage;
  e.wait_seconds = wait;
  return e;
}

CallEvent Linked(std::string id, int second, std::string ticket) {
  CallEvent e = Event(std::move(id), CallEventKind::kTicketLinked, second);
  e.ticket_id = std::move(ticket);
  return e;
}

std::vector<CallEvent> AgentCall() {
  CallEvent ringing = Event("e3", CallEventKind::kRinging, 20);
  ringing.agent_id = "A7";
  CallEvent transferred = Event("e6", CallEventKind::kTransferred, 120);
  transferred.to_queue = "billing";
  return {Offered("e1", 0, CallRoute::kAgent),
          Queued("e2", 2),
          ringing,
          Answered("e4", 27, "A7", 7, 18),
          Muted("e5", 60, 12),
          transferred,
          Muted("e7", 150, 40),
          Ended("e8", 200, 173),
          Linked("e9", 90, "T-1")};
}

TEST(DeriveCallTest, AnAnsweredCallHasItsFactsFromItsEvents) {
  CallRecord call = DeriveCall("C1", AgentCall());
  EXPECT_EQ(call.call_id, "C1");
  EXPECT_EQ(call.queue, "repair");
  EXPECT_EQ(call.channel, "phone");
  EXPECT_EQ(call.route, CallRoute::kAgent);
  ASSERT_TRUE(call.offered());
  EXPECT_EQ(*call.offered_at, kT0);
  EXPECT_TRUE(call.asked_for_agent);
  EXPECT_FALSE(call.ivr_finished);
  EXPECT_EQ(call.queued_at, kT0 + absl::Seconds(2));
  EXPECT_TRUE(call.answered);
  EXPECT_EQ(call.agent_id, "A7");
  EXPECT_EQ(call.ring_seconds, 7);
  EXPECT_EQ(call.answer_wait_seconds, 18);
  EXPECT_FALSE(call.abandoned);
  EXPECT_EQ(call.transfers, 1);
  EXPECT_EQ(call.mute_seconds, (std::vector<int>{12, 40}));
  EXPECT_TRUE(call.ended);
  EXPECT_EQ(call.talk_seconds, 173);
  EXPECT_TRUE(call.talked());
  EXPECT_EQ(call.ticket_ids, (std::vector<std::string>{"T-1"}));
  EXPECT_EQ(call.events, 9);
  EXPECT_EQ(call.first_event_at, kT0);
  EXPECT_EQ(call.last_event_at, kT0 + absl::Seconds(200));
  EXPECT_FALSE(call.waiting);
  EXPECT_FALSE(call.waiting_since.has_value());
}

TEST(DeriveCallTest, EveryArrivalOrderAndDuplicatesGiveTheSameCall) {
  std::vector<CallEvent> events = AgentCall();
  const CallRecord expected = DeriveCall("C1", events);
  std::mt19937 random(42);
  for (int round = 0; round < 500; ++round) {
    std::vector<CallEvent> arrival = events;
    // Some events arrive twice.
    for (int i = 0; i < 3; ++i) {
      arrival.push_back(events[random() % events.size()]);
    }
    std::shuffle(arrival.begin(), arrival.end(), random);
    EXPECT_EQ(DeriveCall("C1", arrival), expected) << "round " << round;
  }
}

TEST(DeriveCallTest, AllPermutationsOfAShortCallAgree) {
  std::vector<CallEvent> events = {Offered("a", 0, CallRoute::kAgent), Queued("b", 1),
                                   Abandoned("c", 30, AbandonStage::kQueued, 29),
                                   Ended("d", 30, 0)};
  const CallRecord expected = DeriveCall("C1", events);
  std::vector<int> order = {0, 1, 2, 3};
  do {
    std::vector<CallEvent> arrival;
    for (int i : order) {
      arrival.push_back(events[i]);
    }
    EXPECT_EQ(DeriveCall("C1", arrival), expected);
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_TRUE(expected.abandoned);
  EXPECT_EQ(expected.abandon_stage, AbandonStage::kQueued);
  EXPECT_EQ(expected.abandon_wait_seconds, 29);
  EXPECT_FALSE(expected.answered);
  EXPECT_FALSE(expected.waiting);
}

TEST(DeriveCallTest, TheFirstEventOfAOnceOnlyKindWinsByTimeThenId) {
  // Two answered events (a CTI resend under a new id): the earlier counts,
  // whichever arrives first.
  std::vector<CallEvent> events = {Offered("o", 0, CallRoute::kAgent),
                                   Answered("late", 40, "A2", 30, 5),
                                   Answered("early", 10, "A1", 4, 5)};
  CallRecord call = DeriveCall("C1", events);
  EXPECT_EQ(call.agent_id, "A1");
  EXPECT_EQ(call.ring_seconds, 4);
  std::reverse(events.begin(), events.end());
  EXPECT_EQ(DeriveCall("C1", events), call);
  // Same time: the smaller event id.
  CallRecord tie = DeriveCall("C1", {Answered("b", 10, "B", 1, 0), Answered("a", 10, "A", 2, 0)});
  EXPECT_EQ(tie.agent_id, "A");
}

TEST(DeriveCallTest, AWaitingCallWaitsSinceItWasQueued) {
  CallRecord call = DeriveCall("C1", {Offered("o", 0, CallRoute::kAgent), Queued("q", 3)});
  EXPECT_TRUE(call.waiting);
  EXPECT_EQ(call.waiting_since, kT0 + absl::Seconds(3));
  // Without the queued event yet: since it was offered.
  call = DeriveCall("C1", {Offered("o", 0, CallRoute::kAgent)});
  EXPECT_TRUE(call.waiting);
  EXPECT_EQ(call.waiting_since, kT0);
  // An IVR call does not wait for an agent.
  call = DeriveCall("C1", {Offered("o", 0, CallRoute::kIvr)});
  EXPECT_FALSE(call.waiting);
  EXPECT_FALSE(call.asked_for_agent);
}

TEST(DeriveCallTest, BeforeItsOfferedEventACallTakesTheQueuedEventsQueue) {
  CallRecord call = DeriveCall("C1", {Queued("q", 3, "billing")});
  EXPECT_FALSE(call.offered());
  EXPECT_EQ(call.queue, "billing");
  EXPECT_TRUE(call.waiting);
  // The offered event's queue wins once it is there.
  call =
      DeriveCall("C1", {Queued("q", 3, "billing"), Offered("o", 0, CallRoute::kAgent, "repair")});
  EXPECT_EQ(call.queue, "repair");
}

TEST(DeriveCallTest, AnIvrCallThatLaterAskedForAnAgentCountsAsBoth) {
  CallEvent ivr = Event("i", CallEventKind::kIvrFinished, 40);
  ivr.ivr_topic = "outage_notice";
  CallRecord call = DeriveCall("C1", {Offered("o", 0, CallRoute::kIvr), ivr, Queued("q", 41),
                                      Answered("a", 50, "A1", 3, 9), Ended("e", 100, 50)});
  EXPECT_TRUE(call.ivr_finished);
  EXPECT_EQ(call.ivr_topic, "outage_notice");
  EXPECT_TRUE(call.asked_for_agent);
  EXPECT_TRUE(call.answered);
}

TEST(DeriveCallTest, NoEventsGiveAnEmptyRecord) {
  CallRecord call = DeriveCall("C9", {});
  EXPECT_EQ(call.call_id, "C9");
  EXPECT_EQ(call.events, 0);
  EXPECT_FALSE(call.offered());
  EXPECT_FALSE(call.waiting);
}

TEST(DeriveCallTest, TicketLinksAreDistinct) {
  CallRecord call =
      DeriveCall("C1", {Linked("l1", 5, "T-2"), Linked("l2", 6, "T-1"), Linked("l3", 7, "T-2")});
  EXPECT_EQ(call.ticket_ids, (std::vector<std::string>{"T-2", "T-1"}));
}

}  // namespace
}  // namespace hotline::intake
