#include "services/intake/calls/store/live_queue_redis.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status.h"

namespace hotline::intake {
namespace {

using redis::RedisReply;

absl::Status Unexpected(absl::string_view what) {
  return absl::InternalError(absl::StrCat("live queue: unexpected Redis reply to ", what));
}

}  // namespace

absl::Status LiveQueueRedis::Apply(const std::vector<RedisCommand>& commands) {
  if (commands.empty()) {
    return absl::OkStatus();
  }
  return redis_.Pipeline(commands).status();
}

absl::StatusOr<bool> LiveQueueRedis::IsBuilt() {
  HOTLINE_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"EXISTS", keys_.Ready()}));
  if (reply.type != RedisReply::Type::kInteger) {
    return Unexpected("EXISTS");
  }
  return reply.integer == 1;
}

absl::Status LiveQueueRedis::Rebuild(const LiveTruth& truth, absl::Time now) {
  HOTLINE_ASSIGN_OR_RETURN(RedisReply members, redis_.Command({"SMEMBERS", keys_.Queues()}));
  std::vector<std::string> known;
  for (const RedisReply& member : members.elements) {
    known.push_back(member.str);
  }
  // In one MULTI/EXEC: a reader never sees the queue half rebuilt.
  std::vector<RedisCommand> commands = {{"MULTI"}};
  for (RedisCommand& command : RebuildCommands(keys_, known, truth, now)) {
    commands.push_back(std::move(command));
  }
  commands.push_back({"EXEC"});
  return Apply(commands);
}

absl::StatusOr<std::vector<LiveQueue>> LiveQueueRedis::ReadAll() {
  HOTLINE_ASSIGN_OR_RETURN(RedisReply members, redis_.Command({"SMEMBERS", keys_.Queues()}));
  if (members.type != RedisReply::Type::kArray) {
    return Unexpected("SMEMBERS");
  }
  std::vector<std::string> queues;
  for (const RedisReply& member : members.elements) {
    queues.push_back(member.str);
  }
  std::sort(queues.begin(), queues.end());
  return ReadQueues(queues);
}

absl::StatusOr<std::vector<LiveQueue>> LiveQueueRedis::Read(const std::string& queue) {
  if (queue.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(std::vector<LiveQueue> all, ReadAll());
    return SelectQueues(all, queue);
  }
  return ReadQueues({queue});
}

absl::StatusOr<std::vector<LiveQueue>> LiveQueueRedis::ReadQueues(
    const std::vector<std::string>& queues) {
  std::vector<RedisCommand> commands;
  for (const std::string& queue : queues) {
    commands.push_back({"ZRANGE", keys_.Waiting(queue), "0", "-1", "WITHSCORES"});
    commands.push_back({"HGETALL", keys_.Agents(queue)});
  }
  std::vector<LiveQueue> result;
  if (commands.empty()) {
    return result;
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  if (replies.size() != commands.size()) {
    return Unexpected("ZRANGE/HGETALL");
  }
  for (size_t i = 0; i < queues.size(); ++i) {
    const RedisReply& waiting = replies[2 * i];
    const RedisReply& agents = replies[2 * i + 1];
    if (waiting.type != RedisReply::Type::kArray || agents.type != RedisReply::Type::kArray ||
        waiting.elements.size() % 2 != 0 || agents.elements.size() % 2 != 0) {
      return Unexpected("ZRANGE/HGETALL");
    }
    LiveQueue queue;
    queue.queue = queues[i];
    for (size_t j = 0; j < waiting.elements.size(); j += 2) {
      double millis = 0;
      if (!absl::SimpleAtod(waiting.elements[j + 1].str, &millis)) {
        return Unexpected("ZRANGE (score)");
      }
      WaitingCall call;
      call.call_id = waiting.elements[j].str;
      call.since = absl::FromUnixMillis(static_cast<int64_t>(millis));
      queue.waiting.push_back(std::move(call));
    }
    for (size_t j = 0; j < agents.elements.size(); j += 2) {
      absl::StatusOr<AgentState> state = ParseAgentState(agents.elements[j + 1].str);
      if (!state.ok()) {
        continue;  // written by a newer version: not ours to show
      }
      queue.agents[*state].push_back(agents.elements[j].str);
    }
    for (auto& [state, ids] : queue.agents) {
      std::sort(ids.begin(), ids.end());
    }
    result.push_back(std::move(queue));
  }
  return result;
}

}  // namespace hotline::intake
