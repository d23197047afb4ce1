#include "services/intake/calls/api/call_center_proto.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/proto_enum/enum_text.h"
#include "libs/proto_time/proto_time.h"
#include "libs/status/status.h"

namespace hotline::intake {
namespace {

constexpr size_t kMaxIdentifier = 128;
constexpr int kMaxSeconds = 86400;

absl::Status Invalid(absl::string_view prefix, absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(prefix, field, ": ", rule));
}

absl::Status CheckSeconds(absl::string_view prefix, absl::string_view field, int value, int min) {
  if (value < min || value > kMaxSeconds) {
    return Invalid(
        prefix, field,
        absl::StrCat("must be between ", min, " and ", kMaxSeconds, " (got ", value, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckId(absl::string_view prefix, absl::string_view field, absl::string_view value) {
  return ValidateIdentifier(absl::StrCat(prefix, field), value);
}

absl::Status CheckOptionalId(absl::string_view prefix, absl::string_view field,
                             absl::string_view value) {
  return value.empty() ? absl::OkStatus() : CheckId(prefix, field, value);
}

common::v1::Channel ChannelFromName(const std::string& name) {
  return ParseEnumText<common::v1::Channel>(name).value_or(common::v1::CHANNEL_UNSPECIFIED);
}

v1::IvrTopic IvrTopicFromName(const std::string& name) {
  return ParseEnumText<v1::IvrTopic>(name).value_or(v1::IVR_TOPIC_UNSPECIFIED);
}

v1::CallRoute RouteToProto(CallRoute route) {
  switch (route) {
    case CallRoute::kAgent:
      return v1::CALL_ROUTE_AGENT;
    case CallRoute::kIvr:
      return v1::CALL_ROUTE_IVR;
    case CallRoute::kUnspecified:
      break;
  }
  return v1::CALL_ROUTE_UNSPECIFIED;
}

v1::AbandonStage StageToProto(AbandonStage stage) {
  switch (stage) {
    case AbandonStage::kQueued:
      return v1::ABANDON_STAGE_QUEUED;
    case AbandonStage::kRinging:
      return v1::ABANDON_STAGE_RINGING;
    case AbandonStage::kUnspecified:
      break;
  }
  return v1::ABANDON_STAGE_UNSPECIFIED;
}

}  // namespace

absl::Status ValidateIdentifier(absl::string_view field, absl::string_view value) {
  if (value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (value.size() > kMaxIdentifier) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", kMaxIdentifier, " characters (got ", value.size(), ")"));
  }
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' &&
        c != ':' && c != '@') {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": only letters, digits and _ - . : @ are allowed (got \"",
                       absl::CHexEscape(value), "\")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CallEvent> CallEventFromProto(const v1::CallEvent& proto, absl::Time now,
                                             absl::Duration max_ahead, absl::string_view p) {
  CallEvent e;
  if (absl::Status s = CheckId(p, "event_id", proto.event_id()); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckId(p, "call_id", proto.call_id()); !s.ok()) {
    return s;
  }
  e.event_id = proto.event_id();
  e.call_id = proto.call_id();
  if (!proto.has_at()) {
    return Invalid(p, "at", "required");
  }
  absl::StatusOr<absl::Time> at =
      ClientTimeFromProto(absl::StrCat(p, "at"), proto.at(), now, max_ahead);
  if (!at.ok()) {
    return at.status();
  }
  e.at = *at;
  if (absl::Status s = CheckOptionalId(p, "queue", proto.queue()); !s.ok()) {
    return s;
  }
  e.queue = proto.queue();

  switch (proto.kind_case()) {
    case v1::CallEvent::kOffered: {
      e.kind = CallEventKind::kOffered;
      if (e.queue.empty()) {
        return Invalid(p, "queue", "required on an offered event");
      }
      if (proto.offered().route() == v1::CALL_ROUTE_AGENT) {
        e.route = CallRoute::kAgent;
      } else if (proto.offered().route() == v1::CALL_ROUTE_IVR) {
        e.route = CallRoute::kIvr;
      } else {
        return Invalid(p, "offered.route", "required (CALL_ROUTE_AGENT or CALL_ROUTE_IVR)");
      }
      common::v1::Channel channel = proto.offered().channel();
      if (channel == common::v1::CHANNEL_UNSPECIFIED || !common::v1::Channel_IsValid(channel)) {
        return Invalid(p, "offered.channel", "required");
      }
      e.channel = EnumText(channel);
      break;
    }
    case v1::CallEvent::kIvrFinished: {
      e.kind = CallEventKind::kIvrFinished;
      v1::IvrTopic topic = proto.ivr_finished().topic();
      if (topic == v1::IVR_TOPIC_UNSPECIFIED || !v1::IvrTopic_IsValid(topic)) {
        return Invalid(p, "ivr_finished.topic", "required");
      }
      e.ivr_topic = EnumText(topic);
      break;
    }
    case v1::CallEvent::kQueued:
      e.kind = CallEventKind::kQueued;
      if (e.queue.empty()) {
        return Invalid(p, "queue", "required on a queued event");
      }
      break;
    case v1::CallEvent::kRinging:
      e.kind = CallEventKind::kRinging;
      if (absl::Status s = CheckId(p, "ringing.agent_id", proto.ringing().agent_id()); !s.ok()) {
        return s;
      }
      e.agent_id = proto.ringing().agent_id();
      break;
    case v1::CallEvent::kAnswered: {
      e.kind = CallEventKind::kAnswered;
      const v1::CallAnswered& a = proto.answered();
      if (absl::Status s = CheckId(p, "answered.agent_id", a.agent_id()); !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckSeconds(p, "answered.ring_seconds", a.ring_seconds(), 0); !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckSeconds(p, "answered.wait_seconds", a.wait_seconds(), 0); !s.ok()) {
        return s;
      }
      e.agent_id = a.agent_id();
      e.ring_seconds = a.ring_seconds();
      e.wait_seconds = a.wait_seconds();
      break;
    }
    case v1::CallEvent::kAbandoned: {
      e.kind = CallEventKind::kAbandoned;
      const v1::CallAbandoned& a = proto.abandoned();
      if (a.stage() == v1::ABANDON_STAGE_QUEUED) {
        e.abandon_stage = AbandonStage::kQueued;
      } else if (a.stage() == v1::ABANDON_STAGE_RINGING) {
        e.abandon_stage = AbandonStage::kRinging;
      } else {
        return Invalid(p, "abandoned.stage",
                       "required (ABANDON_STAGE_QUEUED or ABANDON_STAGE_RINGING)");
      }
      if (absl::Status s = CheckSeconds(p, "abandoned.wait_seconds", a.wait_seconds(), 0);
          !s.ok()) {
        return s;
      }
      e.wait_seconds = a.wait_seconds();
      break;
    }
    case v1::CallEvent::kTransferred: {
      e.kind = CallEventKind::kTransferred;
      const v1::CallTransferred& t = proto.transferred();
      if (t.to_queue().empty() && t.to_agent_id().empty()) {
        return Invalid(p, "transferred.to_queue",
                       "transferred.to_queue or transferred.to_agent_id is required");
      }
      if (absl::Status s = CheckOptionalId(p, "transferred.to_queue", t.to_queue()); !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckOptionalId(p, "transferred.to_agent_id", t.to_agent_id());
          !s.ok()) {
        return s;
      }
      e.to_queue = t.to_queue();
      e.to_agent_id = t.to_agent_id();
      break;
    }
    case v1::CallEvent::kMuted: {
      e.kind = CallEventKind::kMuted;
      const v1::CallMuted& m = proto.muted();
      if (absl::Status s = CheckOptionalId(p, "muted.agent_id", m.agent_id()); !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckSeconds(p, "muted.seconds", m.seconds(), 1); !s.ok()) {
        return s;
      }
      e.agent_id = m.agent_id();
      e.mute_seconds = m.seconds();
      break;
    }
    case v1::CallEvent::kEnded:
      e.kind = CallEventKind::kEnded;
      if (absl::Status s = CheckSeconds(p, "ended.talk_seconds", proto.ended().talk_seconds(), 0);
          !s.ok()) {
        return s;
      }
      e.talk_seconds = proto.ended().talk_seconds();
      break;
    case v1::CallEvent::kTicketLinked:
      e.kind = CallEventKind::kTicketLinked;
      if (absl::Status s = CheckId(p, "ticket_linked.ticket_id", proto.ticket_linked().ticket_id());
          !s.ok()) {
        return s;
      }
      e.ticket_id = proto.ticket_linked().ticket_id();
      break;
    case v1::CallEvent::KIND_NOT_SET:
      return Invalid(p, "kind",
                     "one of offered, ivr_finished, queued, ringing, answered, abandoned, "
                     "transferred, muted, ended, ticket_linked is required");
  }
  return e;
}

v1::CallEvent CallEventToProto(const CallEvent& e) {
  v1::CallEvent proto;
  proto.set_event_id(e.event_id);
  proto.set_call_id(e.call_id);
  proto.set_queue(e.queue);
  *proto.mutable_at() = ToProtoTime(e.at);
  switch (e.kind) {
    case CallEventKind::kOffered:
      proto.mutable_offered()->set_route(RouteToProto(e.route));
      proto.mutable_offered()->set_channel(ChannelFromName(e.channel));
      break;
    case CallEventKind::kIvrFinished:
      proto.mutable_ivr_finished()->set_topic(IvrTopicFromName(e.ivr_topic));
      break;
    case CallEventKind::kQueued:
      proto.mutable_queued();
      break;
    case CallEventKind::kRinging:
      proto.mutable_ringing()->set_agent_id(e.agent_id);
      break;
    case CallEventKind::kAnswered:
      proto.mutable_answered()->set_agent_id(e.agent_id);
      proto.mutable_answered()->set_ring_seconds(e.ring_seconds);
      proto.mutable_answered()->set_wait_seconds(e.wait_seconds);
      break;
    case CallEventKind::kAbandoned:
      proto.mutable_abandoned()->set_stage(StageToProto(e.abandon_stage));
      proto.mutable_abandoned()->set_wait_seconds(e.wait_seconds);
      break;
    case CallEventKind::kTransferred:
      proto.mutable_transferred()->set_to_queue(e.to_queue);
      proto.mutable_transferred()->set_to_agent_id(e.to_agent_id);
      break;
    case CallEventKind::kMuted:
      proto.mutable_muted()->set_agent_id(e.agent_id);
      proto.mutable_muted()->set_seconds(e.mute_seconds);
      break;
    case CallEventKind::kEnded:
      proto.mutable_ended()->set_talk_seconds(e.talk_seconds);
      break;
    case CallEventKind::kTicketLinked:
      proto.mutable_ticket_linked()->set_ticket_id(e.ticket_id);
      break;
  }
  return proto;
}

v1::CallRecord CallRecordToProto(const CallRecord& c, const std::vector<CallEvent>& timeline) {
  v1::CallRecord proto;
  proto.set_call_id(c.call_id);
  proto.set_queue(c.queue);
  proto.set_channel(ChannelFromName(c.channel));
  proto.set_route(RouteToProto(c.route));
  if (c.offered_at) {
    *proto.mutable_offered_at() = ToProtoTime(*c.offered_at);
  }
  proto.set_asked_for_agent(c.asked_for_agent);
  if (c.ivr_finished) {
    proto.set_ivr_topic(IvrTopicFromName(c.ivr_topic));
  }
  proto.set_answered_by_agent(c.answered);
  proto.set_agent_id(c.agent_id);
  proto.set_ring_seconds(c.ring_seconds);
  proto.set_abandoned(c.abandoned);
  proto.set_abandon_stage(StageToProto(c.abandon_stage));
  proto.set_wait_seconds(c.answered ? c.answer_wait_seconds : c.abandon_wait_seconds);
  proto.set_transfers(c.transfers);
  for (int seconds : c.mute_seconds) {
    proto.add_mute_seconds(seconds);
  }
  proto.set_ended(c.ended);
  proto.set_talk_seconds(c.talk_seconds);
  for (const std::string& id : c.ticket_ids) {
    proto.add_ticket_ids(id);
  }
  proto.set_waiting(c.waiting);
  if (c.waiting_since) {
    *proto.mutable_waiting_since() = ToProtoTime(*c.waiting_since);
  }
  for (const CallEvent& e : timeline) {
    *proto.add_timeline() = CallEventToProto(e);
  }
  return proto;
}

absl::StatusOr<AgentState> AgentStateFromProto(v1::AgentState state) {
  switch (state) {
    case v1::AGENT_STATE_LOGGED_IN:
      return AgentState::kLoggedIn;
    case v1::AGENT_STATE_READY:
      return AgentState::kReady;
    case v1::AGENT_STATE_AWAY:
      return AgentState::kAway;
    case v1::AGENT_STATE_ON_CALL:
      return AgentState::kOnCall;
    case v1::AGENT_STATE_WRAP_UP:
      return AgentState::kWrapUp;
    case v1::AGENT_STATE_LOGGED_OUT:
      return AgentState::kLoggedOut;
    default:
      break;
  }
  return absl::InvalidArgumentError("state: required (AGENT_STATE_LOGGED_IN ... LOGGED_OUT)");
}

v1::AgentState AgentStateToProto(AgentState state) {
  switch (state) {
    case AgentState::kLoggedIn:
      return v1::AGENT_STATE_LOGGED_IN;
    case AgentState::kReady:
      return v1::AGENT_STATE_READY;
    case AgentState::kAway:
      return v1::AGENT_STATE_AWAY;
    case AgentState::kOnCall:
      return v1::AGENT_STATE_ON_CALL;
    case AgentState::kWrapUp:
      return v1::AGENT_STATE_WRAP_UP;
    case AgentState::kLoggedOut:
      return v1::AGENT_STATE_LOGGED_OUT;
  }
  return v1::AGENT_STATE_UNSPECIFIED;
}

v1::LiveQueue LiveQueueToProto(const LiveQueue& queue, absl::Time now) {
  v1::LiveQueue proto;
  proto.set_queue(queue.queue);
  proto.set_calls_waiting(static_cast<int32_t>(queue.waiting.size()));
  proto.set_longest_wait_seconds(queue.LongestWaitSeconds(now));
  for (const WaitingCall& call : queue.waiting) {
    v1::WaitingCall* w = proto.add_waiting();
    w->set_call_id(call.call_id);
    *w->mutable_waiting_since() = ToProtoTime(call.since);
  }
  for (const auto& [state, ids] : queue.agents) {
    v1::AgentsInState* agents = proto.add_agents();
    agents->set_state(AgentStateToProto(state));
    for (const std::string& id : ids) {
      agents->add_agent_ids(id);
    }
  }
  return proto;
}

v1::GetLiveQueueResponse LiveQueuesToProto(const std::vector<LiveQueue>& queues, absl::Time now) {
  v1::GetLiveQueueResponse proto;
  for (const LiveQueue& queue : queues) {
    *proto.add_queues() = LiveQueueToProto(queue, now);
  }
  *proto.mutable_as_of() = ToProtoTime(now);
  return proto;
}

v1::CallStats CallStatsToProto(const CallStats& s) {
  v1::CallStats proto;
  proto.set_offered(s.offered);
  proto.set_asked_for_agent(s.asked_for_agent);
  proto.set_answered_by_agent(s.answered_by_agent);
  proto.set_answered_by_ivr(s.answered_by_ivr);
  proto.set_abandoned(s.abandoned);
  proto.set_abandoned_while_queued(s.abandoned_while_queued);
  proto.set_abandoned_while_ringing(s.abandoned_while_ringing);
  proto.set_human_answer_rate(s.human_answer_rate);
  proto.set_answered_within_threshold(s.answered_within_threshold);
  proto.set_answered_within_threshold_share(s.answered_within_threshold_share);
  proto.set_ring_threshold_seconds(s.rules.ring_threshold_seconds);
  proto.set_talked(s.talked);
  proto.set_talk_seconds_total(s.talk_seconds_total);
  proto.set_average_talk_seconds(s.average_talk_seconds);
  proto.set_transferred(s.transferred);
  proto.set_transfer_rate(s.transfer_rate);
  proto.set_mutes(s.mutes);
  proto.set_mutes_over_limit(s.mutes_over_limit);
  proto.set_mute_limit_seconds(s.rules.mute_limit_seconds);
  return proto;
}

absl::StatusOr<AgentStateChange> AgentStateChangeFromProto(const v1::SetAgentStateRequest& request,
                                                           absl::Time now,
                                                           absl::Duration max_ahead) {
  AgentStateChange change;
  HOTLINE_RETURN_IF_ERROR(ValidateIdentifier("agent_id", request.agent_id()));
  change.agent_id = request.agent_id();
  HOTLINE_ASSIGN_OR_RETURN(change.state, AgentStateFromProto(request.state()));
  if (request.queues_size() > kMaxAgentQueues) {
    return absl::InvalidArgumentError(
        absl::StrCat("queues: at most ", kMaxAgentQueues, " (got ", request.queues_size(), ")"));
  }
  for (int i = 0; i < request.queues_size(); ++i) {
    HOTLINE_RETURN_IF_ERROR(ValidateIdentifier(absl::StrCat("queues[", i, "]"), request.queues(i)));
    if (std::find(change.queues.begin(), change.queues.end(), request.queues(i)) ==
        change.queues.end()) {
      change.queues.push_back(request.queues(i));
    }
  }
  if (request.has_at()) {
    HOTLINE_ASSIGN_OR_RETURN(change.at, ClientTimeFromProto("at", request.at(), now, max_ahead));
  }
  return change;
}

v1::SetAgentStateResponse AgentChangeToProto(const AgentChange& change) {
  v1::SetAgentStateResponse response;
  response.set_agent_id(change.agent.agent_id);
  response.set_state(AgentStateToProto(change.agent.state));
  for (const std::string& queue : change.agent.queues) {
    response.add_queues(queue);
  }
  *response.mutable_since() = ToProtoTime(change.agent.since);
  response.set_stale(change.stale);
  return response;
}

absl::StatusOr<CallStatsQuery> CallStatsQueryFromProto(const v1::GetCallStatsRequest& request,
                                                       const CallStatsRules& defaults) {
  if (!request.has_period() || !request.period().has_from()) {
    return absl::InvalidArgumentError("period.from: required");
  }
  if (!request.period().has_to()) {
    return absl::InvalidArgumentError("period.to: required");
  }
  CallStatsQuery query;
  HOTLINE_ASSIGN_OR_RETURN(query.from, ClientTimeFromProto("period.from", request.period().from()));
  HOTLINE_ASSIGN_OR_RETURN(query.to, ClientTimeFromProto("period.to", request.period().to()));
  if (query.to <= query.from) {
    return absl::InvalidArgumentError("period.to: must be after period.from");
  }
  if (query.to - query.from > kMaxStatsPeriod) {
    return absl::InvalidArgumentError("period: at most 400 days");
  }
  if (!request.queue().empty()) {
    HOTLINE_RETURN_IF_ERROR(ValidateIdentifier("queue", request.queue()));
  }
  query.queue = request.queue();
  if (request.ring_threshold_seconds() < 0 || request.ring_threshold_seconds() > 3600) {
    return absl::InvalidArgumentError("ring_threshold_seconds: must be between 0 and 3600");
  }
  if (request.mute_limit_seconds() < 0 || request.mute_limit_seconds() > 3600) {
    return absl::InvalidArgumentError("mute_limit_seconds: must be between 0 and 3600");
  }
  query.rules = defaults;
  if (request.ring_threshold_seconds() > 0) {
    query.rules.ring_threshold_seconds = request.ring_threshold_seconds();
  }
  if (request.mute_limit_seconds() > 0) {
    query.rules.mute_limit_seconds = request.mute_limit_seconds();
  }
  return query;
}

}  // namespace hotline::intake
