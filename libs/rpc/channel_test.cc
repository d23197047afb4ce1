#include "libs/rpc/channel.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "libs/rpc/testdata/echo_service.h"

namespace hotline::rpc {
namespace {

using ::hotline::rpc::testing::CallEcho;
using ::hotline::rpc::testing::EchoResponse;
using ::hotline::rpc::testing::EchoService;
using ::hotline::rpc::testing::LoopbackOptions;
using ::hotline::rpc::testing::LoopbackTarget;

class ChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RpcServer::Start(LoopbackOptions(), {&service_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  void TearDown() override { service_.Release(); }

  ChannelOptions Options() {
    ChannelOptions options;
    options.target = LoopbackTarget(*server_);
    options.initial_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(50);
    return options;
  }

  EchoService service_;
  std::unique_ptr<RpcServer> server_;
};

TEST_F(ChannelTest, RetriesUnavailableUntilTheCallSucceeds) {
  service_.fail_next = 2;
  EchoResponse response;
  grpc::Status status = CallEcho(MakeChannel(Options()), "again", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.text(), "again");
  EXPECT_EQ(service_.calls.load(), 3);
}

TEST_F(ChannelTest, GivesUpAfterMaxAttempts) {
  service_.fail_next = 10;
  ChannelOptions options = Options();
  options.max_attempts = 3;
  EXPECT_EQ(CallEcho(MakeChannel(options), "x").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_.calls.load(), 3);
}

TEST_F(ChannelTest, DoesNotRetryOtherCodes) {
  EXPECT_EQ(CallEcho(MakeChannel(Options()), "internal").error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(ChannelTest, OneAttemptMeansNoRetry) {
  service_.fail_next = 1;
  ChannelOptions options = Options();
  options.max_attempts = 1;
  EXPECT_EQ(CallEcho(MakeChannel(options), "x").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(ChannelTest, DeadlineEndsACallTheServerDoesNotAnswer) {
  absl::Time start = absl::Now();
  EXPECT_EQ(CallEcho(MakeChannel(Options()), "hold", nullptr, absl::Milliseconds(200)).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(ServiceConfigJsonTest, HasARetryPolicyForAllMethods) {
  ChannelOptions options;
  options.retry_codes = {"UNAVAILABLE", "RESOURCE_EXHAUSTED"};
  EXPECT_EQ(ServiceConfigJson(options),
            R"({"methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":4,)"
            R"("initialBackoff":"0.100s","maxBackoff":"2.000s","backoffMultiplier":2,)"
            R"("retryableStatusCodes":["UNAVAILABLE","RESOURCE_EXHAUSTED"]}}]})");
  options.max_attempts = 9;
  EXPECT_NE(ServiceConfigJson(options).find(R"("maxAttempts":5)"), std::string::npos);
  options.max_attempts = 1;
  EXPECT_EQ(ServiceConfigJson(options).find("retryPolicy"), std::string::npos);
}

}  // namespace
}  // namespace hotline::rpc
