#include "services/intake/calls/api/call_center_proto.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hotline::intake {
namespace {

using ::testing::HasSubstr;

// The server's clock in these tests: well after the events' times.
const absl::Time kNow = absl::FromUnixSeconds(1790000000);
constexpr absl::Duration kMaxAhead = absl::Minutes(5);

v1::CallEvent Answered() {
  v1::CallEvent e;
  e.set_event_id("ev-1");
  e.set_call_id("call-1");
  e.mutable_at()->set_seconds(1780000000);
  e.mutable_answered()->set_agent_id("agent.7");
  e.mutable_answered()->set_ring_seconds(6);
  e.mutable_answered()->set_wait_seconds(14);
  return e;
}

std::string ErrorOf(const v1::CallEvent& e, absl::string_view prefix = "") {
  absl::StatusOr<CallEvent> converted = CallEventFromProto(e, kNow, kMaxAhead, prefix);
  EXPECT_FALSE(converted.ok());
  if (converted.ok()) {
    return "";
  }
  EXPECT_EQ(converted.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(converted.status().message());
}

TEST(CallEventFromProtoTest, AValidEventConvertsAndComesBackTheSame) {
  absl::StatusOr<CallEvent> e = CallEventFromProto(Answered(), kNow, kMaxAhead);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->kind, CallEventKind::kAnswered);
  EXPECT_EQ(e->agent_id, "agent.7");
  EXPECT_EQ(e->ring_seconds, 6);
  EXPECT_EQ(e->wait_seconds, 14);
  EXPECT_EQ(e->at, absl::FromUnixSeconds(1780000000));
  EXPECT_EQ(CallEventToProto(*e).SerializeAsString(), Answered().SerializeAsString());

  v1::CallEvent offered;
  offered.set_event_id("ev-2");
  offered.set_call_id("call-1");
  offered.set_queue("repair");
  offered.mutable_at()->set_seconds(1780000000);
  offered.mutable_offered()->set_route(v1::CALL_ROUTE_IVR);
  offered.mutable_offered()->set_channel(common::v1::CHANNEL_TRANSFER_12345);
  absl::StatusOr<CallEvent> o = CallEventFromProto(offered, kNow, kMaxAhead);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->channel, "transfer_12345");
  EXPECT_EQ(o->route, CallRoute::kIvr);
  EXPECT_EQ(CallEventToProto(*o).SerializeAsString(), offered.SerializeAsString());
}

TEST(CallEventFromProtoTest, ErrorsNameTheFieldAndTheRule) {
  v1::CallEvent e = Answered();
  e.clear_event_id();
  EXPECT_EQ(ErrorOf(e), "event_id: required");

  e = Answered();
  e.set_call_id("call 1");
  EXPECT_THAT(ErrorOf(e), HasSubstr("call_id: only letters, digits"));

  e = Answered();
  e.clear_at();
  EXPECT_EQ(ErrorOf(e), "at: required");

  e = Answered();
  e.mutable_at()->set_seconds(1);
  EXPECT_THAT(ErrorOf(e), HasSubstr("at: must lie in [2000-01-01, 2100-01-01)"));

  e = Answered();
  e.mutable_answered()->set_ring_seconds(-1);
  EXPECT_EQ(ErrorOf(e, "events[3]."),
            "events[3].answered.ring_seconds: must be between 0 and 86400 (got -1)");

  e = Answered();
  e.mutable_answered()->clear_agent_id();
  EXPECT_EQ(ErrorOf(e), "answered.agent_id: required");

  e = Answered();
  e.clear_answered();
  EXPECT_THAT(ErrorOf(e), HasSubstr("kind: one of offered"));

  e = Answered();
  e.mutable_offered()->set_route(v1::CALL_ROUTE_AGENT);
  e.mutable_offered()->set_channel(common::v1::CHANNEL_PHONE);
  EXPECT_EQ(ErrorOf(e), "queue: required on an offered event");
  e.set_queue("repair");
  e.mutable_offered()->clear_channel();
  EXPECT_EQ(ErrorOf(e), "offered.channel: required");
  e.mutable_offered()->set_channel(common::v1::CHANNEL_PHONE);
  e.mutable_offered()->clear_route();
  EXPECT_THAT(ErrorOf(e), HasSubstr("offered.route: required"));

  e = Answered();
  e.mutable_queued();
  EXPECT_EQ(ErrorOf(e), "queue: required on a queued event");

  e = Answered();
  e.mutable_transferred();
  EXPECT_THAT(ErrorOf(e), HasSubstr("transferred.to_queue"));

  e = Answered();
  e.mutable_muted()->set_seconds(0);
  EXPECT_EQ(ErrorOf(e), "muted.seconds: must be between 1 and 86400 (got 0)");

  e = Answered();
  e.mutable_abandoned()->set_wait_seconds(3);
  EXPECT_THAT(ErrorOf(e), HasSubstr("abandoned.stage: required"));

  e = Answered();
  e.mutable_ivr_finished();
  EXPECT_EQ(ErrorOf(e), "ivr_finished.topic: required");

  e = Answered();
  e.set_queue(std::string(129, 'q'));
  EXPECT_THAT(ErrorOf(e), HasSubstr("queue: at most 128 characters"));

  e = Answered();
  e.set_queue("{repair}");
  EXPECT_THAT(ErrorOf(e), HasSubstr("queue: only letters"));
}

TEST(CallRecordToProtoTest, CarriesTheFactsAndTheTimeline) {
  absl::StatusOr<CallEvent> e = CallEventFromProto(Answered(), kNow, kMaxAhead);
  ASSERT_TRUE(e.ok());
  CallRecord call = DeriveCall("call-1", {*e});
  v1::CallRecord proto = CallRecordToProto(call, {*e});
  EXPECT_TRUE(proto.answered_by_agent());
  EXPECT_EQ(proto.ring_seconds(), 6);
  EXPECT_EQ(proto.wait_seconds(), 14);
  EXPECT_FALSE(proto.has_offered_at());
  ASSERT_EQ(proto.timeline_size(), 1);
  EXPECT_EQ(proto.timeline(0).event_id(), "ev-1");
}

TEST(AgentStateProtoTest, EveryStateMapsBothWays) {
  for (AgentState state : AllAgentStates()) {
    absl::StatusOr<AgentState> back = AgentStateFromProto(AgentStateToProto(state));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, state);
  }
  EXPECT_FALSE(AgentStateFromProto(v1::AGENT_STATE_UNSPECIFIED).ok());
}

}  // namespace
}  // namespace hotline::intake
