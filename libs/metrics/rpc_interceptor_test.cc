#include "libs/metrics/rpc_interceptor.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/metrics/metrics_test_util.h"
#include "libs/metrics/testdata/echo.grpc.pb.h"

namespace hotline::metrics {
namespace {

using ::hotline::metrics::testdata::Echo;
using ::hotline::metrics::testdata::SayReply;
using ::hotline::metrics::testdata::SayRequest;
using ::hotline::metrics::testing::FindSeries;
using ::hotline::metrics::testing::HttpGet;
using ::hotline::metrics::testing::PromtoolCheckMetrics;
using ::hotline::metrics::testing::SharedExposer;
using ::testing::HasSubstr;

constexpr char kService[] = "hotline.metrics.testdata.Echo";

// A callback-API service: the kind every hotline service is.
class EchoService final : public Echo::CallbackService {
  grpc::ServerUnaryReactor* Say(grpc::CallbackServerContext* context, const SayRequest* request,
                                SayReply* reply) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    if (request->fail_with_code() != 0) {
      reactor->Finish(
          grpc::Status(static_cast<grpc::StatusCode>(request->fail_with_code()), "asked to fail"));
    } else {
      reply->set_text(request->text());
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }
};

// An Echo server on 127.0.0.1:0 with the metrics interceptor, and a client.
class EchoServer {
 public:
  explicit EchoServer(std::shared_ptr<prometheus::Registry> registry) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(MakeRpcMetricsInterceptorFactory(std::move(registry)));
    builder.experimental().SetInterceptorCreators(std::move(factories));
    server_ = builder.BuildAndStart();
    if (server_ != nullptr) {
      channel_ =
          grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
      stub_ = Echo::NewStub(channel_);
    }
  }
  ~EchoServer() {
    if (server_ != nullptr) {
      server_->Shutdown();
    }
  }

  bool started() const { return server_ != nullptr; }

  grpc::StatusCode Say(int fail_with_code) {
    grpc::ClientContext context;
    SayRequest request;
    request.set_text("hello");
    request.set_fail_with_code(fail_with_code);
    SayReply reply;
    return stub_->Say(&context, request, &reply).error_code();
  }

  // Calls a method the server does not have, e.g. "/pkg.Service/Method".
  grpc::StatusCode CallUnknown(const std::string& path) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext context;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    bool done = false;
    std::mutex mu;
    std::condition_variable cv;
    generic.UnaryCall(&context, path, grpc::StubOptions(), &request, &response,
                      [&](grpc::Status s) {
                        std::lock_guard<std::mutex> lock(mu);
                        status = std::move(s);
                        done = true;
                        cv.notify_one();
                      });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    return status.error_code();
  }

 private:
  EchoService service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Echo::Stub> stub_;
};

double Requests(prometheus::Registry& registry, const std::string& service,
                const std::string& method, const std::string& code) {
  auto series = FindSeries(registry, "hotline_rpc_requests_total",
                           {{"service", service}, {"method", method}, {"code", code}});
  return series.has_value() ? series->counter.value : 0;
}

// Tests on the process registry, which the shared exposer serves; they look
// at differences, so their order does not matter.
class RpcMetricsInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.started()); }

  grpc::StatusCode Say(int fail_with_code) { return server_.Say(fail_with_code); }

  static double Requests(const std::string& method, const std::string& code) {
    return metrics::Requests(*ProcessRegistry(), kService, method, code);
  }

  static prometheus::ClientMetric::Histogram Durations(const std::string& method) {
    auto series = FindSeries(*ProcessRegistry(), "hotline_rpc_duration_seconds",
                             {{"service", kService}, {"method", method}});
    return series.has_value() ? series->histogram : prometheus::ClientMetric::Histogram{};
  }

  EchoServer server_{ProcessRegistry()};
};

TEST_F(RpcMetricsInterceptorTest, CountsEachCallByServiceMethodAndCode) {
  double ok_before = Requests("Say", "OK");
  double invalid_before = Requests("Say", "INVALID_ARGUMENT");
  double not_found_before = Requests("Say", "NOT_FOUND");
  uint64_t count_before = Durations("Say").sample_count;

  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Say(0), grpc::StatusCode::OK);
  }
  ASSERT_EQ(Say(grpc::StatusCode::INVALID_ARGUMENT), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(Say(grpc::StatusCode::INVALID_ARGUMENT), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(Say(grpc::StatusCode::NOT_FOUND), grpc::StatusCode::NOT_FOUND);

  // The server records at PRE_SEND_STATUS, before the client sees the status.
  EXPECT_EQ(Requests("Say", "OK") - ok_before, 3);
  EXPECT_EQ(Requests("Say", "INVALID_ARGUMENT") - invalid_before, 2);
  EXPECT_EQ(Requests("Say", "NOT_FOUND") - not_found_before, 1);

  prometheus::ClientMetric::Histogram durations = Durations("Say");
  EXPECT_EQ(durations.sample_count - count_before, 6u);
  ASSERT_FALSE(durations.bucket.empty());
  EXPECT_EQ(durations.bucket.front().upper_bound, 0.001);
  EXPECT_EQ(durations.bucket.back().cumulative_count, durations.sample_count);  // +Inf
  EXPECT_GT(durations.sample_sum, 0);
  EXPECT_LT(durations.sample_sum, 60);
}

TEST_F(RpcMetricsInterceptorTest, ScrapedRpcMetricsPassPromtool) {
  ASSERT_EQ(Say(0), grpc::StatusCode::OK);
  ASSERT_EQ(Say(grpc::StatusCode::PERMISSION_DENIED), grpc::StatusCode::PERMISSION_DENIED);

  absl::StatusOr<std::string> body = HttpGet(SharedExposer().port());
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_THAT(*body, HasSubstr("# TYPE hotline_rpc_requests_total counter"));
  EXPECT_THAT(*body, HasSubstr("# TYPE hotline_rpc_duration_seconds histogram"));
  EXPECT_THAT(*body, HasSubstr(absl::StrCat("hotline_rpc_requests_total{code=\"PERMISSION_DENIED\","
                                            "method=\"Say\",service=\"",
                                            kService, "\"}")));
  EXPECT_THAT(*body, HasSubstr(absl::StrCat("hotline_rpc_duration_seconds_bucket{method=\"Say\","
                                            "service=\"",
                                            kService, "\",le=\"10\"}")));
  absl::Status lint = PromtoolCheckMetrics(*body);
  EXPECT_TRUE(lint.ok()) << lint << "\n" << *body;
}

TEST_F(RpcMetricsInterceptorTest, UnknownMethodIsCountedAsUnimplemented) {
  double before = Requests("NoSuchMethod", "UNIMPLEMENTED");
  EXPECT_EQ(server_.CallUnknown(absl::StrCat("/", kService, "/NoSuchMethod")),
            grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(Requests("NoSuchMethod", "UNIMPLEMENTED") - before, 1);
}

TEST(RpcMetricsInterceptorCapTest, MadeUpMethodNamesCannotGrowTheSeriesWithoutBound) {
  auto registry = std::make_shared<prometheus::Registry>();
  EchoServer server(registry);
  ASSERT_TRUE(server.started());
  constexpr int kMethods = 1010;
  for (int i = 0; i < kMethods; ++i) {
    ASSERT_EQ(server.CallUnknown(absl::StrCat("/probe.Service/M", i)),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  size_t series = 0;
  for (const prometheus::MetricFamily& family : registry->Collect()) {
    if (family.name == "hotline_rpc_requests_total") {
      series = family.metric.size();
    }
  }
  EXPECT_EQ(series, 1001u) << "1000 tracked methods and one \"other\"";
  EXPECT_EQ(Requests(*registry, "probe.Service", "M0", "UNIMPLEMENTED"), 1);
  EXPECT_EQ(Requests(*registry, "other", "other", "UNIMPLEMENTED"), kMethods - 1000);
}

}  // namespace
}  // namespace hotline::metrics
