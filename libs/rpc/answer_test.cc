// rpc::Answer and HandlerPool over a real gRPC server: blocking work runs
// off gRPC's threads, a full pool refuses at once, a deadline that passes in
// the queue is honoured, and health keeps answering through it all.

#include "libs/rpc/answer.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "libs/deadline/request_deadline.h"
#include "libs/probe/probe.h"
#include "libs/rpc/testdata/echo_service.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::rpc {
namespace {

using ::hotline::rpc::testing::CallEcho;
using ::hotline::rpc::testing::EchoRequest;
using ::hotline::rpc::testing::EchoResponse;
using ::hotline::rpc::testing::LoopbackOptions;
using ::hotline::rpc::testing::PlainChannel;
using ::hotline::testing::WaitUntil;

// Echo whose work blocks while the gate is closed, as a handler waiting for
// PostgreSQL would; it reports the request deadline its work saw.
class BlockingEcho final : public rpctest::v1::TestService::CallbackService {
 public:
  explicit BlockingEcho(HandlerPool& pool) : pool_(pool) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoResponse* response) override {
    return Answer(context, pool_, request, [=, this]() -> absl::Status {
      ++started;
      gate.WaitForNotification();
      seen_deadline = deadline::Current();
      response->set_text(request->text());
      return absl::OkStatus();
    });
  }

  absl::Notification gate;
  std::atomic<int> started{0};
  absl::Time seen_deadline;

 private:
  HandlerPool& pool_;
};

class AnswerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RpcServer::Start(LoopbackOptions(), {&service_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->SetServing(true);
    channel_ = PlainChannel(*server_);
  }
  void TearDown() override {
    if (!service_.gate.HasBeenNotified()) {
      service_.gate.Notify();
    }
    server_->Shutdown();
  }

  HandlerPool pool_{{1, 1}};  // one thread, one waiting call
  BlockingEcho service_{pool_};
  std::unique_ptr<RpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(AnswerTest, AFullPoolRefusesAtOnceAndHealthStillAnswers) {
  // The first call takes the only thread, the second waits in the queue.
  grpc::Status first;
  grpc::Status second;
  std::thread a([&] { first = CallEcho(channel_, "one"); });
  ASSERT_TRUE(WaitUntil([&] { return service_.started.load() == 1; }));
  std::thread b([&] { second = CallEcho(channel_, "two"); });
  ASSERT_TRUE(WaitUntil([&] { return pool_.waiting() == 1; }));

  absl::Time before = absl::Now();
  grpc::Status third = CallEcho(channel_, "three");
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << third.error_message();
  EXPECT_LT(absl::Now() - before, absl::Seconds(2)) << "refused without waiting";

  // Health checks are not handler work: they answer while the pool is full.
  EXPECT_EQ(probe::CheckHealth(channel_, "").value_or("error"), "SERVING");

  service_.gate.Notify();
  a.join();
  b.join();
  EXPECT_TRUE(first.ok()) << first.error_message();
  EXPECT_TRUE(second.ok()) << second.error_message();
}

TEST_F(AnswerTest, ACallWhoseDeadlinePassesInTheQueueIsNotRun) {
  std::thread a([&] { (void)CallEcho(channel_, "one"); });
  ASSERT_TRUE(WaitUntil([&] { return service_.started.load() == 1; }));
  grpc::Status late = CallEcho(channel_, "late", nullptr, absl::Milliseconds(200));
  EXPECT_EQ(late.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server took the call a little after the client sent it, so its copy
  // of the deadline ends a little later: let that pass too before the
  // thread is freed.
  absl::SleepFor(absl::Milliseconds(300));
  service_.gate.Notify();
  a.join();
  // The queued call is finished without running its work.
  EXPECT_TRUE(WaitUntil([&] { return pool_.waiting() == 0; }));
  EXPECT_EQ(service_.started.load(), 1);
}

TEST_F(AnswerTest, WorkSeesTheCallsDeadline) {
  service_.gate.Notify();
  absl::Time before = absl::Now();
  EchoResponse response;
  grpc::Status status = CallEcho(channel_, "hi", &response, absl::Seconds(30));
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.text(), "hi");
  EXPECT_GT(service_.seen_deadline, before + absl::Seconds(25));
  EXPECT_LT(service_.seen_deadline, before + absl::Seconds(31));
}

TEST(HandlerPoolTest, WithoutAQueueTakesWorkOnlyWhileAThreadIsIdle) {
  HandlerPool pool({1, 0});
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(pool.TrySchedule([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  EXPECT_FALSE(pool.TrySchedule([] {})) << "the only thread is busy and nothing may wait";
  release.Notify();
  EXPECT_TRUE(WaitUntil([&] { return pool.TrySchedule([] {}); }));
}

TEST(HandlerPoolTest, RunsQueuedWorkBeforeItIsDestroyed) {
  std::atomic<int> ran{0};
  {
    HandlerPool pool({2, 100});
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(pool.TrySchedule([&] { ++ran; }));
    }
  }
  EXPECT_EQ(ran.load(), 50);
}

}  // namespace
}  // namespace hotline::rpc
