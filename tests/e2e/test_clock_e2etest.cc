// A service started with --test-clock lets an admin set and advance its
// clock through hotline.common.v1.TestClock, and its rules follow that
// clock (a ticket created two days "later" says so). Without the setting the
// RPC does not exist; other roles may not move the clock.

#include <gtest/gtest.h>

#include "hotline/common/v1/test_clock.grpc.pb.h"
#include "libs/proto_time/proto_time.h"
#include "tests/e2e/repair_helpers.h"

namespace hotline::testing {
namespace {

using namespace dispatch_e2e;  // NOLINT: test helpers
using namespace repair_e2e;    // NOLINT: test helpers
using common::v1::TestClock;
using common::v1::TestClockTime;

class TestClockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    BackendOptions options;
    options.extra_env["intake"] = {"HOTLINE_TEST_CLOCK=true"};
    auto started = Backend::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = started->release();
  }
  static void TearDownTestSuite() { delete backend_; }

  grpc::Status Advance(const std::string& service, const std::string& role, absl::Duration by,
                       TestClockTime* time) {
    auto stub = TestClock::NewStub(backend_->Channel(service));
    common::v1::AdvanceTimeRequest request;
    request.mutable_by()->set_seconds(absl::ToInt64Seconds(by));
    auto context = Call(backend_->Token(role));
    return stub->AdvanceTime(context.get(), request, time);
  }

  static Backend* backend_;
};

Backend* TestClockTest::backend_ = nullptr;

TEST_F(TestClockTest, AnAdminMovesTheClockAndTicketsFollowIt) {
  TestClockTime time;
  grpc::Status status = Advance("intake", "admin", absl::Hours(48), &time);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const absl::Time two_days_on = absl::Now() + absl::Hours(48);
  EXPECT_LT(absl::AbsDuration(FromProtoTime(time.now()) - two_days_on), absl::Minutes(1));
  EXPECT_EQ(time.offset().seconds(), 48 * 3600);

  auto intake = intake::v1::TicketIntake::NewStub(backend_->Channel("intake"));
  intake::v1::CreateTicketRequest request = RepairInTheCrewsTerritory("test-clock-1");
  request.set_type(common::v1::TICKET_TYPE_CONSULTATION);
  request.mutable_details()->mutable_consultation()->set_topic("tariffs");
  request.mutable_details()->mutable_consultation()->set_resolution(
      intake::v1::INQUIRY_RESOLUTION_NEEDS_DEPARTMENT);
  intake::v1::CreateTicketResponse created;
  auto context = Call(backend_->Token("agent"));
  status = intake->CreateTicket(context.get(), request, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(absl::AbsDuration(FromProtoTime(created.ticket().created_at()) - two_days_on),
            absl::Minutes(1))
      << "the ticket was created at the service's clock, two days on";

  // Back to the machine's time.
  ASSERT_TRUE(Advance("intake", "admin", -absl::Hours(48), &time).ok());
  EXPECT_EQ(time.offset().seconds(), 0);
}

TEST_F(TestClockTest, OnlyAnAdminMovesItAndOnlyWhereTheSettingIsOn) {
  TestClockTime time;
  EXPECT_EQ(Advance("intake", "agent", absl::Hours(1), &time).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Advance("intake", "service", absl::Hours(1), &time).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Advance("intake", "admin", absl::Hours(24 * 401), &time).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Dispatch was started without --test-clock: it has no such RPC.
  EXPECT_EQ(Advance("dispatch", "admin", absl::Hours(1), &time).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace hotline::testing
