#include "libs/rpc/channel.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "hotline/common/v1/events.pb.h"
#include "hotline/common/v1/test_clock.pb.h"
#include "hotline/dispatch/v1/dispatch.pb.h"
#include "hotline/intake/v1/call_center.pb.h"
#include "hotline/intake/v1/intake.pb.h"
#include "hotline/outage/v1/outage.pb.h"
#include "hotline/sla/v1/sla.pb.h"
#include "hotline/survey/v1/survey.pb.h"
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
    options.retry_methods = {"hotline.rpctest.v1.TestService/Echo"};
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

TEST_F(ChannelTest, DoesNotRetryAMethodNotMarkedIdempotent) {
  service_.fail_next = 1;
  ChannelOptions options = Options();
  options.retry_methods = {"hotline.rpctest.v1.TestService/Other"};
  EXPECT_EQ(CallEcho(MakeChannel(options), "x").error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(ChannelTest, DeadlineEndsACallTheServerDoesNotAnswer) {
  absl::Time start = absl::Now();
  EXPECT_EQ(CallEcho(MakeChannel(Options()), "hold", nullptr, absl::Milliseconds(200)).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(ServiceConfigJsonTest, HasARetryPolicyForTheRetryMethodsOnly) {
  ChannelOptions options;
  options.retry_methods = {"p.v1.S/Get", "p.v1.S/Create"};
  options.retry_codes = {"UNAVAILABLE", "RESOURCE_EXHAUSTED"};
  EXPECT_EQ(ServiceConfigJson(options),
            R"({"methodConfig":[{"name":[{"service":"p.v1.S","method":"Get"},)"
            R"({"service":"p.v1.S","method":"Create"}],"retryPolicy":{"maxAttempts":4,)"
            R"("initialBackoff":"0.100s","maxBackoff":"2.000s","backoffMultiplier":2,)"
            R"("retryableStatusCodes":["UNAVAILABLE","RESOURCE_EXHAUSTED"]}}]})");
  options.max_attempts = 9;
  EXPECT_NE(ServiceConfigJson(options).find(R"("maxAttempts":5)"), std::string::npos);
  options.max_attempts = 1;
  EXPECT_EQ(ServiceConfigJson(options).find("retryPolicy"), std::string::npos);
  options.max_attempts = 4;
  options.retry_methods.clear();
  EXPECT_EQ(ServiceConfigJson(options).find("retryPolicy"), std::string::npos);
}

// The API's idempotent RPCs as the .proto files mark them: creates that take
// an idempotency key and reads are retried; calls a repeat would change
// (a second note, a second attempt) or would answer differently (a cancel of a
// cancelled ticket) are not.
TEST(ApiIdempotentMethodsTest, MarksKeyedCreatesAndReadsOnly) {
  // Links each file with services into this test (a static library's object
  // is linked only when used), as a service links the stubs it calls.
  for (const google::protobuf::Descriptor* used :
       {common::v1::DeliverEventsRequest::descriptor(),
        common::v1::AdvanceTimeRequest::descriptor(), dispatch::v1::AckOrderRequest::descriptor(),
        intake::v1::CallEvent::descriptor(), intake::v1::CreateTicketRequest::descriptor(),
        outage::v1::CheckAddressRequest::descriptor(), sla::v1::StartClockRequest::descriptor(),
        survey::v1::ScheduleCallbackRequest::descriptor()}) {
    ASSERT_NE(used, nullptr);
  }
  const std::vector<std::string>& methods = ApiIdempotentMethods();
  auto has = [&](const std::string& m) {
    return std::find(methods.begin(), methods.end(), m) != methods.end();
  };
  for (const char* retried :
       {"hotline.intake.v1.TicketIntake/CreateTicket", "hotline.intake.v1.TicketIntake/GetTicket",
        "hotline.intake.v1.CallCenter/RecordCallEvent", "hotline.common.v1.EventSink/DeliverEvents",
        "hotline.dispatch.v1.BranchOrders/AckOrder", "hotline.outage.v1.OutageNotices/CheckAddress",
        "hotline.sla.v1.SlaTracker/StartClock",
        "hotline.survey.v1.CallbackSurveys/ScheduleCallback"}) {
    EXPECT_TRUE(has(retried)) << retried;
  }
  for (const char* once :
       {"hotline.intake.v1.TicketIntake/AddNote", "hotline.intake.v1.TicketIntake/CancelTicket",
        "hotline.intake.v1.CallCenter/StreamCallEvents",
        "hotline.dispatch.v1.BranchOrders/PullOrders",
        "hotline.dispatch.v1.BranchOrders/ReturnOrder", "hotline.common.v1.TestClock/AdvanceTime",
        "hotline.survey.v1.CallbackSurveys/RecordAttempt", "hotline.sla.v1.SlaTracker/StopClock"}) {
    EXPECT_FALSE(has(once)) << once;
  }
}

}  // namespace
}  // namespace hotline::rpc
