#include "libs/rpc/server.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "libs/probe/probe.h"
#include "libs/rpc/readiness.h"
#include "libs/rpc/testdata/echo_service.h"
#include "tests/fixtures/raw_call.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::rpc {
namespace {

using ::hotline::probe::CheckHealth;
using ::hotline::probe::ListServices;
using ::hotline::rpc::testing::CallEcho;
using ::hotline::rpc::testing::EchoResponse;
using ::hotline::rpc::testing::EchoService;
using ::hotline::rpc::testing::kEchoServiceName;
using ::hotline::rpc::testing::LoopbackOptions;
using ::hotline::rpc::testing::PlainChannel;
using ::hotline::testing::WaitUntil;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

std::unique_ptr<RpcServer> StartOrDie(EchoService& service,
                                      ServerOptions options = LoopbackOptions()) {
  absl::StatusOr<std::unique_ptr<RpcServer>> server =
      RpcServer::Start(std::move(options), {&service});
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

// True once the health status of `service` reads `expected`.
bool HealthBecomes(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                   const std::string& expected) {
  return WaitUntil([&] {
    absl::StatusOr<std::string> status = CheckHealth(channel, service);
    return status.ok() && *status == expected;
  });
}

TEST(RpcServerTest, HealthStartsNotServingAndFollowsSetServing) {
  EchoService service;
  auto server = StartOrDie(service);
  ASSERT_NE(server, nullptr);
  EXPECT_GT(server->port(), 0);
  EXPECT_THAT(server->service_names(), ElementsAre(kEchoServiceName));
  auto channel = PlainChannel(*server);

  EXPECT_EQ(CheckHealth(channel, "").value_or("error"), "NOT_SERVING");
  EXPECT_EQ(CheckHealth(channel, kEchoServiceName).value_or("error"), "NOT_SERVING");
  EXPECT_EQ(CheckHealth(channel, "no.such.Service").status().code(), absl::StatusCode::kNotFound);

  server->SetServing(true);
  EXPECT_EQ(CheckHealth(channel, "").value_or("error"), "SERVING");
  EXPECT_EQ(CheckHealth(channel, kEchoServiceName).value_or("error"), "SERVING");

  server->SetServing(false);
  EXPECT_EQ(CheckHealth(channel, "").value_or("error"), "NOT_SERVING");
  EXPECT_EQ(CheckHealth(channel, kEchoServiceName).value_or("error"), "NOT_SERVING");

  // Calls are served whatever health says; health is advice to balancers.
  EchoResponse response;
  ASSERT_TRUE(CallEcho(channel, "hello", &response).ok());
  EXPECT_EQ(response.text(), "hello");
}

TEST(RpcServerTest, ReflectionListsTheRegisteredServices) {
  EchoService service;
  auto server = StartOrDie(service);
  ASSERT_NE(server, nullptr);
  absl::StatusOr<std::vector<std::string>> names = ListServices(PlainChannel(*server));
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, IsSupersetOf<std::string>({kEchoServiceName, "grpc.health.v1.Health"}));
}

TEST(RpcServerTest, ReadinessWatcherServesOnlyWhileAllProbesPass) {
  EchoService service;
  auto server = StartOrDie(service);
  ASSERT_NE(server, nullptr);
  auto channel = PlainChannel(*server);
  std::atomic<bool> database_up{false};
  std::atomic<bool> cache_up{true};
  ReadinessWatcher watcher(
      *server,
      {{"database",
        [&] {
          return database_up ? absl::OkStatus() : absl::UnavailableError("connection refused");
        }},
       {"cache", [&] { return cache_up ? absl::OkStatus() : absl::UnavailableError("timeout"); }}},
      absl::Milliseconds(10));

  EXPECT_EQ(CheckHealth(channel, kEchoServiceName).value_or("error"), "NOT_SERVING");
  database_up = true;
  EXPECT_TRUE(HealthBecomes(channel, kEchoServiceName, "SERVING"));
  EXPECT_EQ(CheckHealth(channel, "").value_or("error"), "SERVING");
  cache_up = false;
  EXPECT_TRUE(HealthBecomes(channel, "", "NOT_SERVING"));
  EXPECT_EQ(CheckHealth(channel, kEchoServiceName).value_or("error"), "NOT_SERVING");
  cache_up = true;
  EXPECT_TRUE(HealthBecomes(channel, "", "SERVING"));
}

TEST(RpcServerTest, ReadinessWatcherStopsPromptly) {
  EchoService service;
  auto server = StartOrDie(service);
  ASSERT_NE(server, nullptr);
  auto channel = PlainChannel(*server);
  absl::Time destroyed;
  {
    ReadinessWatcher watcher(*server, {}, absl::Hours(1));
    EXPECT_TRUE(HealthBecomes(channel, "", "SERVING"));
    destroyed = absl::Now();
  }
  EXPECT_LT(absl::Now() - destroyed, absl::Seconds(1));
}

TEST(RpcServerTest, PortInUseIsAnErrorNotACrash) {
  EchoService service;
  auto first = StartOrDie(service);
  ASSERT_NE(first, nullptr);
  EchoService other;
  ServerOptions options = LoopbackOptions();
  options.listen_address = absl::StrCat("127.0.0.1:", first->port());
  absl::StatusOr<std::unique_ptr<RpcServer>> second =
      RpcServer::Start(std::move(options), {&other});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(),
              ::testing::HasSubstr(absl::StrCat("127.0.0.1:", first->port())));
}

TEST(RpcServerTest, RejectsIncompleteOptions) {
  EchoService service;
  ServerOptions no_address = LoopbackOptions();
  no_address.listen_address = "";
  EXPECT_EQ(RpcServer::Start(std::move(no_address), {&service}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ServerOptions no_credentials = LoopbackOptions();
  no_credentials.credentials = nullptr;
  EXPECT_EQ(RpcServer::Start(std::move(no_credentials), {&service}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RpcServerTest, ShutdownDrainsInFlightCallsAndRefusesNewOnes) {
  EchoService service;
  ServerOptions options = LoopbackOptions();
  options.drain_timeout = absl::Seconds(30);
  auto server = StartOrDie(service, std::move(options));
  ASSERT_NE(server, nullptr);
  server->SetServing(true);
  auto channel = PlainChannel(*server);

  // A call that stays open until the test releases it.
  auto stub = rpctest::v1::TestService::NewStub(channel);
  grpc::ClientContext held_context;
  SetDeadline(held_context, absl::Seconds(30));
  testing::EchoRequest held_request;
  held_request.set_text("hold");
  EchoResponse held_response;
  grpc::Status held_status;
  absl::Notification held_done;
  stub->async()->Echo(&held_context, &held_request, &held_response, [&](grpc::Status status) {
    held_status = std::move(status);
    held_done.Notify();
  });
  ASSERT_TRUE(WaitUntil([&] { return service.holding(); }));

  absl::Time shutdown_started = absl::Now();
  std::thread shutdown([&] { server->Shutdown(); });
  // New calls are refused while the held one is still being drained.
  EXPECT_TRUE(WaitUntil([&] {
    return CallEcho(PlainChannel(*server), "late").error_code() == grpc::StatusCode::UNAVAILABLE;
  }));
  EXPECT_FALSE(held_done.HasBeenNotified());

  service.Release();
  held_done.WaitForNotification();
  EXPECT_TRUE(held_status.ok()) << held_status.error_message();
  EXPECT_EQ(held_response.text(), "released");
  shutdown.join();
  // Shutdown returned when the last call finished, not at the drain deadline.
  EXPECT_LT(absl::Now() - shutdown_started, absl::Seconds(10));
  server->Shutdown();        // idempotent
  server->SetServing(true);  // ignored after shutdown
}

TEST(RpcServerTest, ShutdownCancelsCallsStillOpenAtTheDrainDeadline) {
  EchoService service;
  ServerOptions options = LoopbackOptions();
  options.drain_timeout = absl::Milliseconds(200);
  auto server = StartOrDie(service, std::move(options));
  ASSERT_NE(server, nullptr);
  auto stub = rpctest::v1::TestService::NewStub(PlainChannel(*server));
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(30));
  testing::EchoRequest request;
  request.set_text("hold");
  EchoResponse response;
  grpc::Status status;
  absl::Notification done;
  stub->async()->Echo(&context, &request, &response, [&](grpc::Status s) {
    status = std::move(s);
    done.Notify();
  });
  ASSERT_TRUE(WaitUntil([&] { return service.holding(); }));
  std::thread shutdown([&] { server->Shutdown(); });
  // The client learns of the cancellation at the drain deadline...
  done.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  // ...and Shutdown returns once the handler has finished the cancelled call.
  service.Release();
  shutdown.join();
}

TEST(RpcServerTest, EnforcesMessageSizeLimits) {
  EchoService service;
  ServerOptions options = LoopbackOptions();
  options.max_receive_message_bytes = 64 << 10;
  auto server = StartOrDie(service, std::move(options));
  ASSERT_NE(server, nullptr);
  auto stub = rpctest::v1::TestService::NewStub(PlainChannel(*server));
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(5));
  testing::EchoRequest request;
  request.set_text("big");
  request.set_padding(std::string(100 << 10, 'x'));
  EchoResponse response;
  EXPECT_EQ(stub->Echo(&context, request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(service.calls.load(), 0);
}

class CountingInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit CountingInterceptor(std::atomic<int>* count) : count_(count) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      ++*count_;
    }
    methods->Proceed();
  }

 private:
  std::atomic<int>* count_;
};

class CountingInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CountingInterceptorFactory(std::atomic<int>* count) : count_(count) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new CountingInterceptor(count_);
  }

 private:
  std::atomic<int>* count_;
};

TEST(RpcServerTest, InstallsInterceptors) {
  EchoService service;
  std::atomic<int> intercepted{0};
  ServerOptions options = LoopbackOptions();
  options.interceptors.push_back(std::make_unique<CountingInterceptorFactory>(&intercepted));
  auto server = StartOrDie(service, std::move(options));
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(CallEcho(PlainChannel(*server), "one").ok());
  EXPECT_GE(intercepted.load(), 1);
}

// The code an interceptor installed through the options saw being sent.
class SentCodeInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit SentCodeInterceptor(std::atomic<int>* code) : code_(code) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      *code_ = static_cast<int>(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  std::atomic<int>* code_;
};

class SentCodeInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit SentCodeInterceptorFactory(std::atomic<int>* code) : code_(code) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new SentCodeInterceptor(code_);
  }

 private:
  std::atomic<int>* code_;
};

TEST(RpcServerTest, ARequestThatCannotBeParsedIsInvalidArgumentNamingItsType) {
  EchoService service;
  std::atomic<int> sent_code{-1};
  ServerOptions options = LoopbackOptions();
  options.interceptors.push_back(std::make_unique<SentCodeInterceptorFactory>(&sent_code));
  auto server = StartOrDie(service, std::move(options));
  ASSERT_NE(server, nullptr);
  auto channel = PlainChannel(*server);
  constexpr char kMethod[] = "/hotline.rpctest.v1.TestService/Echo";

  rpctest::v1::EchoRequest request;
  request.set_text("@@@@");
  const std::string not_utf8 = hotline::testing::WithInvalidUtf8(request, "@@@@");
  ASSERT_NE(not_utf8, request.SerializeAsString());
  for (const std::string& bytes :
       {not_utf8, std::string("\x0a\x10only-three", 12), std::string("\xff\xff\xff\xff")}) {
    grpc::Status s = hotline::testing::RawUnaryCall(channel, kMethod, bytes);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_EQ(s.error_message(),
              "request: not a valid hotline.rpctest.v1.EchoRequest message (a string field that "
              "is not valid UTF-8, or bytes that are not its encoding)");
    EXPECT_EQ(sent_code.load(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  }
  EXPECT_EQ(service.calls.load(), 0);

  // Good bytes still reach the handler, and the server is still up.
  EXPECT_TRUE(hotline::testing::RawUnaryCall(channel, kMethod, request.SerializeAsString()).ok());
  EXPECT_EQ(service.calls.load(), 1);
  EXPECT_TRUE(CallEcho(channel, "after").ok());
}

}  // namespace
}  // namespace hotline::rpc
