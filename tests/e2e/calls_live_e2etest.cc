// The live call queue end to end: calls waiting and agents by state come
// from Redis, are right again within seconds after Redis loses its data
// (FLUSHDB of the service's database), feed the gauges, and stream to
// watchers on every change.

#include <grpcpp/client_context.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "hotline/intake/v1/call_center.grpc.pb.h"
#include "tests/e2e/shared_backend.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::testing {
namespace {

using intake::v1::CallCenter;
using intake::v1::CallEvent;
using intake::v1::GetLiveQueueResponse;

class CallsLiveTest : public SharedBackendTest {
 protected:
  // The sweep that compares Redis with PostgreSQL runs every second here.
  static void SetUpTestSuite() {
    BackendOptions options;
    options.extra_env["intake"] = {"HOTLINE_CALLS_LIVE_SWEEP_INTERVAL=1s"};
    StartBackend(options);
  }

  static std::unique_ptr<CallCenter::Stub> Stub() {
    return CallCenter::NewStub(backend_->Channel("intake"));
  }
  static void Authorize(grpc::ClientContext& context, const std::string& role) {
    context.AddMetadata("authorization", "Bearer " + backend_->Token(role));
  }

  static CallEvent Event(const std::string& call_id, const std::string& suffix, absl::Time at,
                         const std::string& queue = "") {
    CallEvent e;
    e.set_event_id(absl::StrCat(call_id, "-", suffix));
    e.set_call_id(call_id);
    e.set_queue(queue);
    e.mutable_at()->set_seconds(absl::ToUnixSeconds(at));
    return e;
  }

  static void Record(const CallEvent& event) {
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::RecordCallEventResponse response;
    grpc::Status s = Stub()->RecordCallEvent(&context, event, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A call offered to an agent in `queue` and queued `ago` before now.
  static void Queue(const std::string& call_id, const std::string& queue, absl::Duration ago) {
    absl::Time at = absl::Now() - ago;
    CallEvent offered = Event(call_id, "offered", at, queue);
    offered.mutable_offered()->set_route(intake::v1::CALL_ROUTE_AGENT);
    offered.mutable_offered()->set_channel(common::v1::CHANNEL_PHONE);
    CallEvent queued = Event(call_id, "queued", at, queue);
    queued.mutable_queued();
    Record(queued);  // out of order on purpose
    Record(offered);
  }

  static void Answer(const std::string& call_id) {
    CallEvent answered = Event(call_id, "answered", absl::Now());
    answered.mutable_answered()->set_agent_id("agent-01");
    answered.mutable_answered()->set_ring_seconds(4);
    Record(answered);
  }

  static void SetAgent(const std::string& role, const std::string& agent,
                       intake::v1::AgentState state, std::vector<std::string> queues) {
    grpc::ClientContext context;
    Authorize(context, role);
    intake::v1::SetAgentStateRequest request;
    request.set_agent_id(agent);
    request.set_state(state);
    for (const std::string& q : queues) {
      request.add_queues(q);
    }
    intake::v1::SetAgentStateResponse response;
    grpc::Status s = Stub()->SetAgentState(&context, request, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static absl::StatusOr<GetLiveQueueResponse> Live(const std::string& queue = "") {
    grpc::ClientContext context;
    Authorize(context, "supervisor");
    intake::v1::GetLiveQueueRequest request;
    request.set_queue(queue);
    GetLiveQueueResponse response;
    grpc::Status s = Stub()->GetLiveQueue(&context, request, &response);
    if (!s.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    }
    return response;
  }

  // The response without what moves with the clock.
  static std::string Shape(GetLiveQueueResponse response) {
    response.clear_as_of();
    for (auto& q : *response.mutable_queues()) {
      q.clear_longest_wait_seconds();
    }
    return response.DebugString();
  }
};

std::vector<std::string> WaitingIds(const intake::v1::LiveQueue& queue) {
  std::vector<std::string> ids;
  for (const auto& w : queue.waiting()) {
    ids.push_back(w.call_id());
  }
  return ids;
}

std::vector<std::string> AgentsIn(const intake::v1::LiveQueue& queue,
                                  intake::v1::AgentState state) {
  for (const auto& a : queue.agents()) {
    if (a.state() == state) {
      return {a.agent_ids().begin(), a.agent_ids().end()};
    }
  }
  return {};
}

double Gauge(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, series + " ")) {
      double value = -1;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) {
        return value;
      }
    }
  }
  return -1;
}

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// Runs one command (and SELECT `db` first) on the backend's Redis.
absl::Status RedisDo(const std::string& address, int db, const std::vector<std::string>& command) {
  std::vector<std::string> hp = absl::StrSplit(address, ':');
  int port = 0;
  if (hp.size() != 2 || !absl::SimpleAtoi(hp[1], &port)) {
    return absl::InvalidArgumentError(address);
  }
  redisContext* c = redisConnect(hp[0].c_str(), port);
  if (c == nullptr || c->err) {
    if (c != nullptr) {
      redisFree(c);
    }
    return absl::UnavailableError("cannot reach Redis");
  }
  bool ok = true;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"SELECT", absl::StrCat(db)}, command}) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    ok = ok && reply != nullptr && reply->type != REDIS_REPLY_ERROR;
    freeReplyObject(reply);
  }
  redisFree(c);
  return ok ? absl::OkStatus() : absl::InternalError(absl::StrCat(command[0], " failed"));
}

absl::Status FlushDb(const std::string& address, int db) {
  return RedisDo(address, db, {"FLUSHDB"});
}

TEST_F(CallsLiveTest, TheLiveQueueComesBackAfterRedisLosesItsData) {
  Queue("live-c1", "repair", absl::Seconds(90));
  Queue("live-c2", "repair", absl::Seconds(30));
  Queue("live-c3", "repair", absl::Seconds(10));
  Queue("live-c4", "billing", absl::Seconds(20));
  Answer("live-c4");
  // Answered before it was offered: never waits.
  Answer("live-c5");
  Queue("live-c5", "billing", absl::Seconds(5));
  SetAgent("service", "agent-01", intake::v1::AGENT_STATE_LOGGED_IN, {"repair", "billing"});
  SetAgent("service", "agent-01", intake::v1::AGENT_STATE_READY, {});
  SetAgent("agent", "e2e-agent", intake::v1::AGENT_STATE_LOGGED_IN, {"repair"});
  SetAgent("agent", "e2e-agent", intake::v1::AGENT_STATE_AWAY, {});
  SetAgent("service", "agent-02", intake::v1::AGENT_STATE_LOGGED_IN, {"repair"});
  SetAgent("service", "agent-02", intake::v1::AGENT_STATE_LOGGED_OUT, {});

  auto before = Live();
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(before->queues_size(), 2) << before->DebugString();
  const auto& billing = before->queues(0);
  const auto& repair = before->queues(1);
  EXPECT_EQ(billing.queue(), "billing");
  EXPECT_EQ(billing.calls_waiting(), 0);
  EXPECT_EQ(AgentsIn(billing, intake::v1::AGENT_STATE_READY),
            (std::vector<std::string>{"agent-01"}));
  EXPECT_EQ(repair.queue(), "repair");
  EXPECT_EQ(repair.calls_waiting(), 3);
  EXPECT_EQ(WaitingIds(repair), (std::vector<std::string>{"live-c1", "live-c2", "live-c3"}));
  EXPECT_GE(repair.longest_wait_seconds(), 90);
  EXPECT_EQ(AgentsIn(repair, intake::v1::AGENT_STATE_READY),
            (std::vector<std::string>{"agent-01"}));
  EXPECT_EQ(AgentsIn(repair, intake::v1::AGENT_STATE_AWAY),
            (std::vector<std::string>{"e2e-agent"}));
  EXPECT_TRUE(AgentsIn(repair, intake::v1::AGENT_STATE_LOGGED_IN).empty());

  // The gauges follow the live queue.
  EXPECT_TRUE(WaitUntil([&] {
    auto text = backend_->ScrapeMetrics("intake");
    return text.ok() && Gauge(*text, "hotline_calls_waiting{queue=\"repair\"}") == 3 &&
           Gauge(*text, "hotline_calls_waiting{queue=\"billing\"}") == 0 &&
           Gauge(*text, "hotline_agents{state=\"ready\"}") == 1 &&
           Gauge(*text, "hotline_agents{state=\"away\"}") == 1;
  })) << backend_->ScrapeMetrics("intake").value_or("");

  const std::string expected = Shape(*before);
  auto rebuilds = [] {
    return CountOf(backend_->Log("intake"), "rebuilt from PostgreSQL (Redis lost the live queue)");
  };
  const int rebuilds_before = rebuilds();  // one at start-up, on an empty Redis
  ASSERT_TRUE(FlushDb(backend_->redis_address(), backend_->redis_db()).ok());
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto now = Live();
        return rebuilds() > rebuilds_before && now.ok() && Shape(*now) == expected;
      },
      std::chrono::seconds(10)))
      << Live().value_or(GetLiveQueueResponse()).DebugString() << backend_->Log("intake");
  auto one = Live("repair");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->queues_size(), 1);
  EXPECT_EQ(one->queues(0).calls_waiting(), 3);
}

TEST_F(CallsLiveTest, ALiveQueueThatDriftedFromPostgreSQLIsRepairedBySweep) {
  // Redis is written after each commit; two writes of one call that reach it
  // out of order leave it wrong while its ready marker stays. The sweep
  // compares it with PostgreSQL and rebuilds it.
  Queue("drift-c1", "drift", absl::Seconds(40));
  Queue("drift-c2", "drift", absl::Seconds(20));
  SetAgent("service", "drift-agent", intake::v1::AGENT_STATE_LOGGED_IN, {"drift"});
  SetAgent("service", "drift-agent", intake::v1::AGENT_STATE_READY, {});
  auto before = Live("drift");
  ASSERT_TRUE(before.ok()) << before.status();
  const std::string expected = Shape(*before);
  ASSERT_EQ(before->queues(0).calls_waiting(), 2) << before->DebugString();

  const std::string address = backend_->redis_address();
  const int db = backend_->redis_db();
  ASSERT_TRUE(RedisDo(address, db, {"ZREM", "hotline:calls:{drift}:waiting", "drift-c1"}).ok());
  ASSERT_TRUE(RedisDo(address, db, {"ZADD", "hotline:calls:{drift}:waiting", "1", "ghost"}).ok());
  ASSERT_TRUE(
      RedisDo(address, db, {"HSET", "hotline:calls:{drift}:agents", "drift-agent", "away"}).ok());
  auto drifted = Live("drift");
  ASSERT_TRUE(drifted.ok());
  ASSERT_NE(Shape(*drifted), expected) << "the tampering did not show";

  EXPECT_TRUE(WaitUntil(
      [&] {
        auto now = Live("drift");
        return now.ok() && Shape(*now) == expected;
      },
      std::chrono::seconds(10)))
      << Live("drift").value_or(GetLiveQueueResponse()).DebugString();
  EXPECT_GE(
      CountOf(backend_->Log("intake"), "live queue differed from PostgreSQL: rebuilt from it"), 1);
}

TEST_F(CallsLiveTest, AWatcherGetsTheQueueAtOnceAndOnEveryChange) {
  Queue("watch-c1", "outage", absl::Seconds(40));
  Queue("watch-c2", "outage", absl::Seconds(20));
  auto stub = Stub();
  grpc::ClientContext context;
  Authorize(context, "shift_leader");
  intake::v1::GetLiveQueueRequest request;
  request.set_queue("outage");
  auto reader = stub->WatchLiveQueue(&context, request);
  GetLiveQueueResponse message;
  ASSERT_TRUE(reader->Read(&message));
  ASSERT_EQ(message.queues_size(), 1);
  EXPECT_EQ(message.queues(0).calls_waiting(), 2);

  Answer("watch-c1");
  // Heartbeats may repeat the old state first; the change arrives within
  // seconds.
  bool seen = false;
  for (int i = 0; i < 10 && !seen; ++i) {
    ASSERT_TRUE(reader->Read(&message));
    seen = message.queues(0).calls_waiting() == 1 &&
           message.queues(0).waiting(0).call_id() == "watch-c2";
  }
  EXPECT_TRUE(seen) << message.DebugString();
  Queue("watch-c3", "outage", absl::Seconds(1));
  seen = false;
  for (int i = 0; i < 10 && !seen; ++i) {
    ASSERT_TRUE(reader->Read(&message));
    seen = message.queues(0).calls_waiting() == 2;
  }
  EXPECT_TRUE(seen) << message.DebugString();
  // Nothing changes now: the state comes again at the watch interval.
  const int64_t last = message.as_of().seconds();
  ASSERT_TRUE(reader->Read(&message));
  EXPECT_EQ(message.queues(0).calls_waiting(), 2);
  EXPECT_GE(message.as_of().seconds(), last + 4);
  context.TryCancel();
  while (reader->Read(&message)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(CallsLiveTest, ALateAgentStateChangeIsIgnored) {
  const absl::Time now = absl::Now();
  auto set = [&](intake::v1::AgentState state, absl::Time at) {
    grpc::ClientContext context;
    Authorize(context, "service");
    intake::v1::SetAgentStateRequest request;
    request.set_agent_id("agent-03");
    request.set_state(state);
    request.add_queues("late");
    request.mutable_at()->set_seconds(absl::ToUnixSeconds(at));
    intake::v1::SetAgentStateResponse response;
    EXPECT_TRUE(Stub()->SetAgentState(&context, request, &response).ok());
    return response;
  };
  EXPECT_FALSE(set(intake::v1::AGENT_STATE_READY, now).stale());
  auto late = set(intake::v1::AGENT_STATE_AWAY, now - absl::Seconds(10));
  EXPECT_TRUE(late.stale());
  EXPECT_EQ(late.state(), intake::v1::AGENT_STATE_READY);
  auto live = Live("late");
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(AgentsIn(live->queues(0), intake::v1::AGENT_STATE_READY),
            (std::vector<std::string>{"agent-03"}));
}

TEST_F(CallsLiveTest, OnlyReadersMayWatch) {
  auto stub = Stub();
  grpc::ClientContext context;
  Authorize(context, "agent");
  intake::v1::GetLiveQueueRequest request;
  auto reader = stub->WatchLiveQueue(&context, request);
  GetLiveQueueResponse message;
  EXPECT_FALSE(reader->Read(&message));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// Runs last: it stops the service while a watcher is connected.
TEST_F(CallsLiveTest, ZzTheServiceStopsCleanlyWithAWatcherAndKeepsTheQueue) {
  auto before = Live("repair");
  ASSERT_TRUE(before.ok());
  auto stub = Stub();
  grpc::ClientContext context;
  Authorize(context, "supervisor");
  intake::v1::GetLiveQueueRequest request;
  auto reader = stub->WatchLiveQueue(&context, request);
  GetLiveQueueResponse message;
  ASSERT_TRUE(reader->Read(&message));
  auto stopped = backend_->Stop("intake", SIGTERM);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_TRUE(WIFEXITED(*stopped) && WEXITSTATUS(*stopped) == 0) << backend_->Log("intake");
  while (reader->Read(&message)) {
  }
  EXPECT_FALSE(reader->Finish().ok());
  ASSERT_TRUE(backend_->Restart("intake").ok()) << backend_->Log("intake");
  auto after = Live("repair");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(Shape(*after), Shape(*before));
}

}  // namespace
}  // namespace hotline::testing
