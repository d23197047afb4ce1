#include "libs/runtime/test_clock_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/log/log.h"
#include "libs/proto_time/proto_time.h"
#include "libs/rpc/answer.h"
#include "libs/status/status.h"

namespace hotline::runtime {
namespace {

const absl::Time kEarliest = absl::FromCivil(absl::CivilYear(2000), absl::UTCTimeZone());
const absl::Time kLatest = absl::FromCivil(absl::CivilYear(2100), absl::UTCTimeZone());
constexpr absl::Duration kLongestStep = absl::Hours(24 * 400);

}  // namespace

absl::Status TestClockService::Authorize(const grpc::CallbackServerContext& context,
                                         absl::string_view method) const {
  return auth::AuthorizeCall(tokens_, context, method).status();
}

void TestClockService::Fill(common::v1::TestClockTime& response) const {
  *response.mutable_now() = ToProtoTime(clock_.Now());
  absl::Duration offset = clock_.offset();
  int64_t nanos = absl::ToInt64Nanoseconds(offset);
  response.mutable_offset()->set_seconds(nanos / 1000000000);
  response.mutable_offset()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

grpc::ServerUnaryReactor* TestClockService::GetTime(grpc::CallbackServerContext* context,
                                                    const common::v1::GetTimeRequest* request,
                                                    common::v1::TestClockTime* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.common.v1.TestClock/GetTime"));
    Fill(*response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TestClockService::SetTime(grpc::CallbackServerContext* context,
                                                    const common::v1::SetTimeRequest* request,
                                                    common::v1::TestClockTime* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.common.v1.TestClock/SetTime"));
    if (!request->has_now()) {
      return absl::InvalidArgumentError("now: required");
    }
    HOTLINE_ASSIGN_OR_RETURN(absl::Time now, ClientTimeFromProto("now", request->now()));
    clock_.Set(now);
    log::Warn("test-clock", "clock set to ", absl::FormatTime(now));
    Fill(*response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TestClockService::AdvanceTime(
    grpc::CallbackServerContext* context, const common::v1::AdvanceTimeRequest* request,
    common::v1::TestClockTime* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(Authorize(*context, "/hotline.common.v1.TestClock/AdvanceTime"));
    absl::Duration by =
        absl::Seconds(request->by().seconds()) + absl::Nanoseconds(request->by().nanos());
    if (absl::AbsDuration(by) > kLongestStep) {
      return absl::InvalidArgumentError("by: at most 400 days either way");
    }
    absl::Time next = clock_.Now() + by;
    if (next < kEarliest || next >= kLatest) {
      return absl::InvalidArgumentError("by: the clock must stay in the years 2000 to 2099");
    }
    clock_.Advance(by);
    log::Warn("test-clock", "clock moved by ", absl::FormatDuration(by), " to ",
              absl::FormatTime(clock_.Now()));
    Fill(*response);
    return absl::OkStatus();
  });
}

}  // namespace hotline::runtime
