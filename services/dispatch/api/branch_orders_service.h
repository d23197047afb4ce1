#pragma once

// hotline.dispatch.v1.BranchOrders over gRPC (callback API), for branch
// systems. Every call needs a token of role `branch` (the access table,
// libs/auth/access.h); its branch_id is the branch the call acts for (other
// roles, admin included, get PERMISSION_DENIED: they have no branch to speak
// for).

#include "absl/time/time.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/clock/clock.h"
#include "libs/rpc/handler_pool.h"
#include "services/dispatch/desk/order_desk.h"
#include "services/dispatch/desk/pull_hub.h"

namespace hotline::dispatch {

struct PullLimits {
  int max_outstanding = 50;  // when the request gives none
  absl::Duration poll_max_wait = absl::Seconds(30);
};

class BranchOrdersService final : public v1::BranchOrders::CallbackService {
 public:
  BranchOrdersService(const auth::TokenStore& tokens, OrderDesk& desk, PullHub& hub,
                      PullLimits limits, rpc::HandlerPool& handlers, const clock::Clock& clock);

  grpc::ServerWriteReactor<v1::PullOrdersResponse>* PullOrders(
      grpc::CallbackServerContext* context, const v1::PullOrdersRequest* request) override;
  grpc::ServerUnaryReactor* PollOrders(grpc::CallbackServerContext* context,
                                       const v1::PollOrdersRequest* request,
                                       v1::PollOrdersResponse* response) override;
  grpc::ServerUnaryReactor* AckOrder(grpc::CallbackServerContext* context,
                                     const v1::AckOrderRequest* request,
                                     v1::AckOrderResponse* response) override;
  grpc::ServerUnaryReactor* ReportProgress(grpc::CallbackServerContext* context,
                                           const v1::ReportProgressRequest* request,
                                           v1::ReportProgressResponse* response) override;
  grpc::ServerUnaryReactor* ReturnOrder(grpc::CallbackServerContext* context,
                                        const v1::ReturnOrderRequest* request,
                                        v1::ReturnOrderResponse* response) override;

 private:
  // The branch of the caller of `method` (a gRPC full method name), or
  // UNAUTHENTICATED / PERMISSION_DENIED.
  absl::StatusOr<std::string> BranchOf(const grpc::CallbackServerContext& context,
                                       absl::string_view method) const;

  const auth::TokenStore& tokens_;
  OrderDesk& desk_;
  PullHub& hub_;
  const PullLimits limits_;
  rpc::HandlerPool& handlers_;
  const clock::Clock& clock_;
};

}  // namespace hotline::dispatch
