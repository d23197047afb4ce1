#include "services/intake/calls/desk/call_desk.h"

#include "absl/strings/match.h"
#include "libs/log/log.h"
#include "libs/status/status.h"

namespace hotline::intake {
namespace {

constexpr char kComponent[] = "calls";

}  // namespace

CallDesk::CallDesk(CallStore& store, LiveQueueRedis& live, LiveQueueHub& hub, CallMetrics& metrics,
                   const clock::Clock& clock)
    : store_(store), live_(live), hub_(hub), metrics_(metrics), clock_(clock) {}

void CallDesk::WriteLive(const std::vector<RedisCommand>& commands) {
  if (commands.empty() || hub_.dirty()) {
    return;  // a rebuild from PostgreSQL is due anyway
  }
  if (absl::Status s = live_.Apply(commands); !s.ok()) {
    hub_.MarkDirty();
    log::Warn(kComponent, "live queue not updated (will be rebuilt): ", s.ToString());
  }
}

absl::StatusOr<RecordResult> CallDesk::Record(const std::vector<CallEvent>& events) {
  absl::StatusOr<RecordResult> result = store_.RecordEvents(events);
  if (!result.ok()) {
    if (absl::IsInvalidArgument(result.status()) &&
        absl::StartsWith(result.status().message(), kConflictPrefix)) {
      metrics_.CountConflictingEvent();
    }
    return result.status();
  }
  std::vector<RedisCommand> commands;
  for (const CallChange& change : result->changes) {
    for (RedisCommand& command :
         CallLiveCommands(live_.keys(), change.call, change.previous_queue)) {
      commands.push_back(std::move(command));
    }
  }
  WriteLive(commands);
  for (const CallChange& change : result->changes) {
    metrics_.Count(change.counts);
  }
  if (!result->changes.empty()) {
    hub_.NotifyChanged();
  }
  return result;
}

absl::StatusOr<AgentChange> CallDesk::SetAgentState(const auth::Principal& caller,
                                                    const AgentStateChange& change) {
  if (caller.role == auth::Role::kAgent && caller.name != change.agent_id) {
    return absl::PermissionDeniedError("role agent may only set its own state");
  }
  if (change.state == AgentState::kLoggedIn && change.queues.empty()) {
    return absl::InvalidArgumentError("queues: required when logging in");
  }
  HOTLINE_ASSIGN_OR_RETURN(AgentChange changed,
                           store_.SetAgentState(change.agent_id, change.state, change.queues,
                                                change.at.value_or(clock_.Now())));
  if (!changed.stale) {
    WriteLive(AgentLiveCommands(live_.keys(), changed.agent, changed.previous_queues));
    hub_.NotifyChanged();
  }
  return changed;
}

absl::StatusOr<CallView> CallDesk::LoadCall(const std::string& call_id) {
  CallView view;
  HOTLINE_ASSIGN_OR_RETURN(view.timeline, store_.LoadTimeline(call_id));
  view.record = DeriveCall(call_id, view.timeline);
  return view;
}

absl::StatusOr<std::vector<LiveQueue>> CallDesk::ReadLive(const std::string& queue) {
  return live_.Read(queue);
}

absl::StatusOr<CallStats> CallDesk::LoadStats(absl::Time from, absl::Time to,
                                              const std::string& queue,
                                              const CallStatsRules& rules) {
  return store_.LoadStats(from, to, queue, rules);
}

}  // namespace hotline::intake
