#include "services/intake/calls/domain/live_queue.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace hotline::intake {
namespace {

std::string Millis(absl::Time t) { return absl::StrCat(absl::ToUnixMillis(t)); }

}  // namespace

int LiveQueue::LongestWaitSeconds(absl::Time now) const {
  if (waiting.empty()) {
    return 0;
  }
  absl::Time oldest = waiting.front().since;
  for (const WaitingCall& call : waiting) {
    oldest = std::min(oldest, call.since);
  }
  return now > oldest ? static_cast<int>(absl::ToInt64Seconds(now - oldest)) : 0;
}

std::string LiveKeys::Waiting(const std::string& queue) const {
  return absl::StrCat(prefix_, ":{", queue, "}:waiting");
}
std::string LiveKeys::Agents(const std::string& queue) const {
  return absl::StrCat(prefix_, ":{", queue, "}:agents");
}
std::string LiveKeys::Queues() const { return absl::StrCat(prefix_, ":queues"); }
std::string LiveKeys::Ready() const { return absl::StrCat(prefix_, ":ready"); }

std::vector<RedisCommand> CallLiveCommands(const LiveKeys& keys, const CallRecord& call,
                                           const std::string& previous_queue) {
  std::vector<RedisCommand> commands;
  if (!previous_queue.empty() && previous_queue != call.queue) {
    commands.push_back({"ZREM", keys.Waiting(previous_queue), call.call_id});
  }
  if (call.queue.empty()) {
    return commands;
  }
  if (call.waiting && call.waiting_since) {
    commands.push_back(
        {"ZADD", keys.Waiting(call.queue), Millis(*call.waiting_since), call.call_id});
    commands.push_back({"SADD", keys.Queues(), call.queue});
  } else {
    commands.push_back({"ZREM", keys.Waiting(call.queue), call.call_id});
  }
  return commands;
}

std::vector<RedisCommand> AgentLiveCommands(const LiveKeys& keys, const AgentStatus& agent,
                                            const std::vector<std::string>& previous_queues) {
  std::vector<RedisCommand> commands;
  const bool present = agent.state != AgentState::kLoggedOut;
  for (const std::string& queue : previous_queues) {
    bool stays =
        present && std::find(agent.queues.begin(), agent.queues.end(), queue) != agent.queues.end();
    if (!stays) {
      commands.push_back({"HDEL", keys.Agents(queue), agent.agent_id});
    }
  }
  for (const std::string& queue : agent.queues) {
    if (present) {
      commands.push_back(
          {"HSET", keys.Agents(queue), agent.agent_id, std::string(AgentStateName(agent.state))});
      commands.push_back({"SADD", keys.Queues(), queue});
    } else {
      commands.push_back({"HDEL", keys.Agents(queue), agent.agent_id});
    }
  }
  return commands;
}

std::vector<RedisCommand> RebuildCommands(const LiveKeys& keys,
                                          const std::vector<std::string>& known_queues,
                                          const LiveTruth& truth, absl::Time built_at) {
  std::set<std::string> queues(known_queues.begin(), known_queues.end());
  for (const QueuedCall& call : truth.waiting) {
    queues.insert(call.queue);
  }
  for (const AgentStatus& agent : truth.agents) {
    queues.insert(agent.queues.begin(), agent.queues.end());
  }
  std::vector<RedisCommand> commands;
  for (const std::string& queue : queues) {
    commands.push_back({"DEL", keys.Waiting(queue), keys.Agents(queue)});
  }
  commands.push_back({"DEL", keys.Queues()});
  for (const QueuedCall& call : truth.waiting) {
    commands.push_back({"ZADD", keys.Waiting(call.queue), Millis(call.since), call.call_id});
    commands.push_back({"SADD", keys.Queues(), call.queue});
  }
  for (const AgentStatus& agent : truth.agents) {
    for (RedisCommand& command : AgentLiveCommands(keys, agent, {})) {
      commands.push_back(std::move(command));
    }
  }
  commands.push_back({"SET", keys.Ready(), absl::FormatTime(built_at)});
  return commands;
}

std::vector<LiveQueue> LiveQueuesOf(const LiveTruth& truth) {
  std::map<std::string, LiveQueue> queues;
  auto queue_named = [&](const std::string& name) -> LiveQueue& {
    LiveQueue& queue = queues[name];
    queue.queue = name;
    return queue;
  };
  for (const QueuedCall& call : truth.waiting) {
    queue_named(call.queue)
        .waiting.push_back({call.call_id, absl::FromUnixMillis(absl::ToUnixMillis(call.since))});
  }
  for (const AgentStatus& agent : truth.agents) {
    if (agent.state == AgentState::kLoggedOut) {
      continue;
    }
    for (const std::string& name : agent.queues) {
      queue_named(name).agents[agent.state].push_back(agent.agent_id);
    }
  }
  std::vector<LiveQueue> all;
  for (auto& [name, queue] : queues) {
    std::sort(queue.waiting.begin(), queue.waiting.end(),
              [](const WaitingCall& a, const WaitingCall& b) {
                return std::tie(a.since, a.call_id) < std::tie(b.since, b.call_id);
              });
    for (auto& [state, ids] : queue.agents) {
      std::sort(ids.begin(), ids.end());
    }
    all.push_back(std::move(queue));
  }
  return all;
}

std::vector<LiveQueue> SelectQueues(const std::vector<LiveQueue>& all, const std::string& queue) {
  std::vector<LiveQueue> selected;
  if (queue.empty()) {
    for (const LiveQueue& q : all) {
      if (!q.empty()) {
        selected.push_back(q);
      }
    }
    return selected;
  }
  for (const LiveQueue& q : all) {
    if (q.queue == queue) {
      selected.push_back(q);
      return selected;
    }
  }
  LiveQueue empty;
  empty.queue = queue;
  selected.push_back(std::move(empty));
  return selected;
}

}  // namespace hotline::intake
