#include "services/intake/calls/domain/live_queue.h"

#include <gtest/gtest.h>

namespace hotline::intake {
namespace {

const absl::Time kT0 = absl::FromUnixMillis(1780000000123);

CallRecord WaitingCallIn(std::string queue) {
  CallRecord c;
  c.call_id = "C1";
  c.queue = std::move(queue);
  c.asked_for_agent = true;
  c.waiting = true;
  c.waiting_since = kT0;
  return c;
}

TEST(LiveKeysTest, KeysShareAHashTagPerQueueUnderThePrefix) {
  LiveKeys keys("p");
  EXPECT_EQ(keys.Waiting("repair"), "p:{repair}:waiting");
  EXPECT_EQ(keys.Agents("repair"), "p:{repair}:agents");
  EXPECT_EQ(keys.Queues(), "p:queues");
  EXPECT_EQ(keys.Ready(), "p:ready");
}

TEST(CallLiveCommandsTest, AWaitingCallIsInItsQueueAndLeavesItWhenAnswered) {
  LiveKeys keys("p");
  CallRecord call = WaitingCallIn("repair");
  EXPECT_EQ(CallLiveCommands(keys, call, ""),
            (std::vector<RedisCommand>{{"ZADD", "p:{repair}:waiting", "1780000000123", "C1"},
                                       {"SADD", "p:queues", "repair"}}));
  call.waiting = false;
  call.answered = true;
  EXPECT_EQ(CallLiveCommands(keys, call, "repair"),
            (std::vector<RedisCommand>{{"ZREM", "p:{repair}:waiting", "C1"}}));
  // The derived queue changed: out of the old one.
  EXPECT_EQ(CallLiveCommands(keys, WaitingCallIn("billing"), "repair")[0],
            (RedisCommand{"ZREM", "p:{repair}:waiting", "C1"}));
  // No queue known yet: nothing to place.
  EXPECT_TRUE(CallLiveCommands(keys, WaitingCallIn(""), "").empty());
}

TEST(AgentLiveCommandsTest, AnAgentMovesBetweenQueuesAndLeavesOnLogout) {
  LiveKeys keys("p");
  AgentStatus agent;
  agent.agent_id = "A1";
  agent.state = AgentState::kReady;
  agent.queues = {"billing"};
  EXPECT_EQ(AgentLiveCommands(keys, agent, {"repair", "billing"}),
            (std::vector<RedisCommand>{{"HDEL", "p:{repair}:agents", "A1"},
                                       {"HSET", "p:{billing}:agents", "A1", "ready"},
                                       {"SADD", "p:queues", "billing"}}));
  agent.state = AgentState::kLoggedOut;
  EXPECT_EQ(AgentLiveCommands(keys, agent, {"billing"}),
            (std::vector<RedisCommand>{{"HDEL", "p:{billing}:agents", "A1"},
                                       {"HDEL", "p:{billing}:agents", "A1"}}));
}

TEST(RebuildCommandsTest, ClearsKnownQueuesWritesTheTruthAndSetsTheMarkerLast) {
  LiveKeys keys("p");
  LiveTruth truth;
  truth.waiting.push_back({"repair", "C1", kT0});
  AgentStatus agent;
  agent.agent_id = "A1";
  agent.state = AgentState::kAway;
  agent.queues = {"repair"};
  truth.agents.push_back(agent);
  std::vector<RedisCommand> commands = RebuildCommands(keys, {"old"}, truth, kT0);
  EXPECT_EQ(commands.front(), (RedisCommand{"DEL", "p:{old}:waiting", "p:{old}:agents"}));
  EXPECT_EQ(commands[1], (RedisCommand{"DEL", "p:{repair}:waiting", "p:{repair}:agents"}));
  EXPECT_EQ(commands[2], (RedisCommand{"DEL", "p:queues"}));
  EXPECT_NE(std::find(commands.begin(), commands.end(),
                      RedisCommand{"ZADD", "p:{repair}:waiting", "1780000000123", "C1"}),
            commands.end());
  EXPECT_NE(std::find(commands.begin(), commands.end(),
                      RedisCommand{"HSET", "p:{repair}:agents", "A1", "away"}),
            commands.end());
  EXPECT_EQ(commands.back()[0], "SET");
  EXPECT_EQ(commands.back()[1], "p:ready");
}

TEST(LiveQueueTest, LongestWaitAndSelection) {
  LiveQueue repair;
  repair.queue = "repair";
  repair.waiting = {{"C1", kT0}, {"C2", kT0 + absl::Seconds(5)}};
  EXPECT_EQ(repair.LongestWaitSeconds(kT0 + absl::Seconds(42)), 42);
  EXPECT_EQ(repair.LongestWaitSeconds(kT0 - absl::Seconds(1)), 0);
  LiveQueue empty;
  empty.queue = "idle";
  EXPECT_EQ(empty.LongestWaitSeconds(kT0), 0);

  std::vector<LiveQueue> all = {empty, repair};
  EXPECT_EQ(SelectQueues(all, ""), (std::vector<LiveQueue>{repair}));
  EXPECT_EQ(SelectQueues(all, "repair"), (std::vector<LiveQueue>{repair}));
  std::vector<LiveQueue> unknown = SelectQueues(all, "billing");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].queue, "billing");
  EXPECT_TRUE(unknown[0].empty());
}

TEST(LiveQueuesOfTest, TheTruthAsRedisWouldReadIt) {
  LiveTruth truth;
  truth.waiting = {{"repair", "C2", kT0 + absl::Microseconds(900)},
                   {"repair", "C1", kT0 + absl::Microseconds(400)},
                   {"billing", "C3", kT0}};
  truth.agents = {{"a2", AgentState::kReady, {"repair", "billing"}, kT0},
                  {"a1", AgentState::kReady, {"repair"}, kT0},
                  {"a3", AgentState::kLoggedOut, {"repair"}, kT0}};
  std::vector<LiveQueue> all = LiveQueuesOf(truth);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].queue, "billing");
  EXPECT_EQ(all[0].waiting, (std::vector<WaitingCall>{{"C3", kT0}}));
  EXPECT_EQ(all[1].queue, "repair");
  // Both to the millisecond kT0: then by call id.
  EXPECT_EQ(all[1].waiting, (std::vector<WaitingCall>{{"C1", kT0}, {"C2", kT0}}));
  EXPECT_EQ(all[1].agents.at(AgentState::kReady), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(all[1].agents.count(AgentState::kLoggedOut), 0u);
}

TEST(LiveQueuesOfTest, NoTruthIsNoQueue) { EXPECT_TRUE(LiveQueuesOf(LiveTruth()).empty()); }

}  // namespace
}  // namespace hotline::intake
