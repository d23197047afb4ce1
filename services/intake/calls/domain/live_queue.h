#pragma once

// The live call queue: calls waiting per queue and agents by state, as kept
// in Redis (live state only; PostgreSQL is the truth), and the Redis commands
// that keep it. Pure: no I/O here (live_queue_redis.h sends the commands).
//
// Key layout, with P = --calls-redis-prefix and Q a queue name (a hash tag,
// so that one queue's keys share a Redis Cluster slot):
//   P:{Q}:waiting   sorted set: call id -> waiting since (Unix milliseconds)
//   P:{Q}:agents    hash: agent id -> state name (agents not logged out)
//   P:queues        set of queue names that have waiting calls or agents
//   P:ready         marker, set by the last rebuild from PostgreSQL; its
//                   absence means Redis lost its data (FLUSHALL, restart)

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/intake/calls/domain/call_event.h"
#include "services/intake/calls/domain/call_record.h"

namespace hotline::intake {

using RedisCommand = std::vector<std::string>;

struct WaitingCall {
  std::string call_id;
  absl::Time since;

  bool operator==(const WaitingCall& other) const = default;
};

struct LiveQueue {
  std::string queue;
  std::vector<WaitingCall> waiting;                       // oldest first (then by call id)
  std::map<AgentState, std::vector<std::string>> agents;  // non-empty lists, ids sorted

  // now - the oldest wait start, in whole seconds (0 when none waits or the
  // clocks disagree).
  int LongestWaitSeconds(absl::Time now) const;
  bool empty() const { return waiting.empty() && agents.empty(); }
  bool operator==(const LiveQueue& other) const = default;
};

// An agent's state and queues, as recorded in PostgreSQL.
struct AgentStatus {
  std::string agent_id;
  AgentState state = AgentState::kLoggedOut;
  std::vector<std::string> queues;
  absl::Time since;

  bool operator==(const AgentStatus& other) const = default;
};

// A waiting call as the rebuild reads it from PostgreSQL.
struct QueuedCall {
  std::string queue;
  std::string call_id;
  absl::Time since;
};

// What PostgreSQL says the live queue is.
struct LiveTruth {
  std::vector<QueuedCall> waiting;
  std::vector<AgentStatus> agents;  // those not logged out
};

class LiveKeys {
 public:
  explicit LiveKeys(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string Waiting(const std::string& queue) const;
  std::string Agents(const std::string& queue) const;
  std::string Queues() const;
  std::string Ready() const;

 private:
  std::string prefix_;
};

// Keeps the call's entry right after its record changed: in its queue's
// waiting set while it waits, out of it otherwise (and out of
// `previous_queue` when the derived queue changed). A call without a queue
// has no entry. Idempotent.
std::vector<RedisCommand> CallLiveCommands(const LiveKeys& keys, const CallRecord& call,
                                           const std::string& previous_queue);

// Moves an agent to its new state in each of its queues and out of the
// queues it left; a logged-out agent leaves all. Idempotent.
std::vector<RedisCommand> AgentLiveCommands(const LiveKeys& keys, const AgentStatus& agent,
                                            const std::vector<std::string>& previous_queues);

// Replaces the whole live queue with `truth`: clears the keys of
// `known_queues` (what P:queues listed) and of truth's queues, writes truth,
// and sets the ready marker (to `built_at`) last.
std::vector<RedisCommand> RebuildCommands(const LiveKeys& keys,
                                          const std::vector<std::string>& known_queues,
                                          const LiveTruth& truth, absl::Time built_at);

// The live queue `truth` describes, as ReadAll reads it back from a Redis
// that matches it: the non-empty queues by name, waiting calls oldest first
// (then by call id) with times to the millisecond, agent ids sorted.
std::vector<LiveQueue> LiveQueuesOf(const LiveTruth& truth);

// Only the queues a reader asked for: `queue` empty -> the non-empty queues
// of `all`; otherwise exactly one entry for `queue` (empty if absent).
std::vector<LiveQueue> SelectQueues(const std::vector<LiveQueue>& all, const std::string& queue);

}  // namespace hotline::intake
