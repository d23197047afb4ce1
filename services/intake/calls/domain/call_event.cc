#include "services/intake/calls/domain/call_event.h"

#include <array>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"

namespace hotline::intake {
namespace {

constexpr std::array<std::pair<CallEventKind, absl::string_view>, 10> kKindNames = {{
    {CallEventKind::kOffered, "offered"},
    {CallEventKind::kIvrFinished, "ivr_finished"},
    {CallEventKind::kQueued, "queued"},
    {CallEventKind::kRinging, "ringing"},
    {CallEventKind::kAnswered, "answered"},
    {CallEventKind::kAbandoned, "abandoned"},
    {CallEventKind::kTransferred, "transferred"},
    {CallEventKind::kMuted, "muted"},
    {CallEventKind::kEnded, "ended"},
    {CallEventKind::kTicketLinked, "ticket_linked"},
}};

constexpr std::array<std::pair<AgentState, absl::string_view>, 6> kAgentStateNames = {{
    {AgentState::kLoggedIn, "logged_in"},
    {AgentState::kReady, "ready"},
    {AgentState::kAway, "away"},
    {AgentState::kOnCall, "on_call"},
    {AgentState::kWrapUp, "wrap_up"},
    {AgentState::kLoggedOut, "logged_out"},
}};

}  // namespace

absl::string_view CallEventKindName(CallEventKind kind) {
  for (const auto& [known, name] : kKindNames) {
    if (known == kind) {
      return name;
    }
  }
  return "unknown";
}

absl::StatusOr<CallEventKind> ParseCallEventKind(absl::string_view name) {
  for (const auto& [kind, known] : kKindNames) {
    if (known == name) {
      return kind;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("kind: unknown call event kind \"", name, "\""));
}

absl::string_view CallRouteName(CallRoute route) {
  switch (route) {
    case CallRoute::kAgent:
      return "agent";
    case CallRoute::kIvr:
      return "ivr";
    case CallRoute::kUnspecified:
      break;
  }
  return "";
}

CallRoute ParseCallRoute(absl::string_view name) {
  if (name == "agent") {
    return CallRoute::kAgent;
  }
  if (name == "ivr") {
    return CallRoute::kIvr;
  }
  return CallRoute::kUnspecified;
}

absl::string_view AbandonStageName(AbandonStage stage) {
  switch (stage) {
    case AbandonStage::kQueued:
      return "queued";
    case AbandonStage::kRinging:
      return "ringing";
    case AbandonStage::kUnspecified:
      break;
  }
  return "";
}

AbandonStage ParseAbandonStage(absl::string_view name) {
  if (name == "queued") {
    return AbandonStage::kQueued;
  }
  if (name == "ringing") {
    return AbandonStage::kRinging;
  }
  return AbandonStage::kUnspecified;
}

absl::string_view AgentStateName(AgentState state) {
  for (const auto& [known, name] : kAgentStateNames) {
    if (known == state) {
      return name;
    }
  }
  return "unknown";
}

absl::StatusOr<AgentState> ParseAgentState(absl::string_view name) {
  for (const auto& [state, known] : kAgentStateNames) {
    if (known == name) {
      return state;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("state: unknown agent state \"", name, "\""));
}

const std::vector<AgentState>& AllAgentStates() {
  static const auto* kStates = new std::vector<AgentState>{
      AgentState::kLoggedIn, AgentState::kReady,  AgentState::kAway,
      AgentState::kOnCall,   AgentState::kWrapUp, AgentState::kLoggedOut};
  return *kStates;
}

bool EventBefore(const CallEvent& a, const CallEvent& b) {
  return std::tie(a.at, a.event_id) < std::tie(b.at, b.event_id);
}

}  // namespace hotline::intake
