#pragma once

// The call centre's vocabulary without transport: one call event as the
// telephony (CTI) side reports it, and the agents' states. The gRPC handler
// converts the proto messages into these (call_event_proto.h); the store
// keeps them in intake.call_events.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace hotline::intake {

enum class CallEventKind {
  kOffered,
  kIvrFinished,
  kQueued,
  kRinging,
  kAnswered,
  kAbandoned,
  kTransferred,
  kMuted,
  kEnded,
  kTicketLinked,
};

enum class CallRoute { kUnspecified, kAgent, kIvr };
enum class AbandonStage { kUnspecified, kQueued, kRinging };

enum class AgentState { kLoggedIn, kReady, kAway, kOnCall, kWrapUp, kLoggedOut };

// Names as stored in the database and shown in metric labels: "offered",
// "ivr_finished", ...; "agent"/"ivr"; "queued"/"ringing"; "logged_in", ...
absl::string_view CallEventKindName(CallEventKind kind);
absl::StatusOr<CallEventKind> ParseCallEventKind(absl::string_view name);
absl::string_view CallRouteName(CallRoute route);
CallRoute ParseCallRoute(absl::string_view name);  // unknown -> kUnspecified
absl::string_view AbandonStageName(AbandonStage stage);
AbandonStage ParseAbandonStage(absl::string_view name);  // unknown -> kUnspecified
absl::string_view AgentStateName(AgentState state);
absl::StatusOr<AgentState> ParseAgentState(absl::string_view name);
const std::vector<AgentState>& AllAgentStates();

// One event. Only the fields of its kind are meaningful; the others keep
// their defaults (empty strings, zeros).
struct CallEvent {
  std::string event_id;
  std::string call_id;
  CallEventKind kind = CallEventKind::kOffered;
  absl::Time at;
  std::string queue;  // offered, queued (required); others optional

  CallRoute route = CallRoute::kUnspecified;  // offered
  std::string channel;                        // offered: "phone", "transfer_12345", ...
  std::string ivr_topic;                      // ivr_finished: "outage_notice", "bill", ...
  std::string agent_id;                       // ringing, answered, muted (optional)
  int ring_seconds = 0;                       // answered
  int wait_seconds = 0;                       // answered (queue wait), abandoned
  AbandonStage abandon_stage = AbandonStage::kUnspecified;  // abandoned
  std::string to_queue;                                     // transferred
  std::string to_agent_id;                                  // transferred
  int mute_seconds = 0;                                     // muted
  int talk_seconds = 0;                                     // ended
  std::string ticket_id;                                    // ticket_linked

  bool operator==(const CallEvent& other) const = default;
};

// The order in which a call's events are read: by time, then by event id, so
// that "the first answered event" means the same whatever the arrival order.
bool EventBefore(const CallEvent& a, const CallEvent& b);

}  // namespace hotline::intake
