#pragma once

// Conversions between the CallCenter API (call_center.proto) and the call
// centre's domain types, with the validation of untrusted input: every
// error is INVALID_ARGUMENT naming the field (prefixed by `field_prefix`,
// e.g. "events[3].") and the rule it broke.
//
// Identifiers (event, call, agent, queue, ticket ids) are 1..128 characters
// of letters, digits and _ - . : @ (so they are safe in Redis keys and metric
// labels). Times must lie in [2000-01-01, 2100-01-01). Second counts lie in
// [0, 86400] (a mute: [1, 86400]).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hotline/intake/v1/call_center.pb.h"
#include "services/intake/calls/desk/call_desk.h"
#include "services/intake/calls/domain/call_event.h"
#include "services/intake/calls/domain/call_record.h"
#include "services/intake/calls/domain/call_stats.h"
#include "services/intake/calls/domain/live_queue.h"

namespace hotline::intake {

// OK if `value` is a valid identifier; otherwise INVALID_ARGUMENT naming `field`.
absl::Status ValidateIdentifier(absl::string_view field, absl::string_view value);

// `now` and `max_ahead`: the event's time may be at most `max_ahead` after
// the server's clock (ClientTimeFromProto).
absl::StatusOr<CallEvent> CallEventFromProto(const v1::CallEvent& proto, absl::Time now,
                                             absl::Duration max_ahead,
                                             absl::string_view field_prefix = "");
v1::CallEvent CallEventToProto(const CallEvent& event);

v1::CallRecord CallRecordToProto(const CallRecord& call, const std::vector<CallEvent>& timeline);

absl::StatusOr<AgentState> AgentStateFromProto(v1::AgentState state);
v1::AgentState AgentStateToProto(AgentState state);

// SetAgentState's request: agent_id and queues are identifiers (at most
// kMaxAgentQueues queues, repeats dropped), `at` at most `max_ahead` after
// `now`.
inline constexpr int kMaxAgentQueues = 50;
absl::StatusOr<AgentStateChange> AgentStateChangeFromProto(const v1::SetAgentStateRequest& request,
                                                           absl::Time now,
                                                           absl::Duration max_ahead);
v1::SetAgentStateResponse AgentChangeToProto(const AgentChange& change);

// GetCallStats' request: a period of at most kMaxStatsPeriod, an optional
// queue, and thresholds in [0, 3600] seconds where 0 keeps `defaults`.
inline constexpr absl::Duration kMaxStatsPeriod = absl::Hours(24 * 400);
struct CallStatsQuery {
  absl::Time from;
  absl::Time to;
  std::string queue;  // "" for every queue
  CallStatsRules rules;
};
absl::StatusOr<CallStatsQuery> CallStatsQueryFromProto(const v1::GetCallStatsRequest& request,
                                                       const CallStatsRules& defaults);

v1::LiveQueue LiveQueueToProto(const LiveQueue& queue, absl::Time now);
v1::GetLiveQueueResponse LiveQueuesToProto(const std::vector<LiveQueue>& queues, absl::Time now);

v1::CallStats CallStatsToProto(const CallStats& stats);

}  // namespace hotline::intake
