#pragma once

// hotline.common.v1.TestClock over a clock::ShiftedClock: registered by
// RunService only when --test-clock is set. Admin role only.

#include "hotline/common/v1/test_clock.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/clock/clock.h"
#include "libs/rpc/handler_pool.h"

namespace hotline::runtime {

class TestClockService final : public common::v1::TestClock::CallbackService {
 public:
  TestClockService(clock::ShiftedClock& clock, const auth::TokenStore& tokens,
                   rpc::HandlerPool& handlers)
      : clock_(clock), tokens_(tokens), handlers_(handlers) {}

  grpc::ServerUnaryReactor* GetTime(grpc::CallbackServerContext* context,
                                    const common::v1::GetTimeRequest* request,
                                    common::v1::TestClockTime* response) override;
  grpc::ServerUnaryReactor* SetTime(grpc::CallbackServerContext* context,
                                    const common::v1::SetTimeRequest* request,
                                    common::v1::TestClockTime* response) override;
  grpc::ServerUnaryReactor* AdvanceTime(grpc::CallbackServerContext* context,
                                        const common::v1::AdvanceTimeRequest* request,
                                        common::v1::TestClockTime* response) override;

 private:
  absl::Status Authorize(const grpc::CallbackServerContext& context,
                         absl::string_view method) const;
  void Fill(common::v1::TestClockTime& response) const;

  clock::ShiftedClock& clock_;
  const auth::TokenStore& tokens_;
  rpc::HandlerPool& handlers_;
};

}  // namespace hotline::runtime
