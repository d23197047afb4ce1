#pragma once

// The call centre's use cases, between the gRPC handlers (api/) and the
// stores. Each change is written to PostgreSQL first (the truth) and, after
// the commit, to Redis (the live queue); a Redis write that fails marks the
// live queue dirty and wakes LiveQueueKeeper, which rebuilds it, and the
// keeper's sweep repairs writes that reached Redis out of order. Then the
// metrics count and the watchers are woken. docs/architecture.md, "PostgreSQL
// and Redis", is this rule for every service.
//
// Thread-safe. Errors: the stores' (libs/pg/errors.h, Redis UNAVAILABLE) and
// the ones named below.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/token_store.h"
#include "libs/clock/clock.h"
#include "services/intake/calls/desk/call_metrics.h"
#include "services/intake/calls/desk/live_queue_hub.h"
#include "services/intake/calls/store/call_store.h"
#include "services/intake/calls/store/live_queue_redis.h"

namespace hotline::intake {

// SetAgentState's request, validated field by field (call_center_proto.h).
struct AgentStateChange {
  std::string agent_id;
  AgentState state = AgentState::kLoggedOut;
  std::vector<std::string> queues;  // no repeats; empty keeps the recorded ones
  std::optional<absl::Time> at;     // when the CTI saw it; the desk's clock when unset
};

// A call as GetCall shows it.
struct CallView {
  CallRecord record;
  std::vector<CallEvent> timeline;
};

class CallDesk {
 public:
  CallDesk(CallStore& store, LiveQueueRedis& live, LiveQueueHub& hub, CallMetrics& metrics,
           const clock::Clock& clock);

  // Records validated events (both recording RPCs): duplicates change
  // nothing; an event id reused with other content refuses the batch
  // (INVALID_ARGUMENT starting with kConflictPrefix) and is counted.
  absl::StatusOr<RecordResult> Record(const std::vector<CallEvent>& events);

  // Sets an agent's state. PERMISSION_DENIED when an agent sets another
  // agent's state; INVALID_ARGUMENT when logging in without queues. A change
  // older than the recorded one changes nothing and comes back stale.
  absl::StatusOr<AgentChange> SetAgentState(const auth::Principal& caller,
                                            const AgentStateChange& change);

  // NOT_FOUND when the call has no events.
  absl::StatusOr<CallView> LoadCall(const std::string& call_id);

  // The live queue as Redis holds it: SelectQueues(all, queue).
  absl::StatusOr<std::vector<LiveQueue>> ReadLive(const std::string& queue);

  absl::StatusOr<CallStats> LoadStats(absl::Time from, absl::Time to, const std::string& queue,
                                      const CallStatsRules& rules);

  absl::Time Now() const { return clock_.Now(); }

 private:
  // After a commit: the live queue's commands, unless a rebuild is due anyway.
  void WriteLive(const std::vector<RedisCommand>& commands);

  CallStore& store_;
  LiveQueueRedis& live_;
  LiveQueueHub& hub_;
  CallMetrics& metrics_;
  const clock::Clock& clock_;
};

}  // namespace hotline::intake
