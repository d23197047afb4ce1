#pragma once

// hotline.dispatch.v1.Dispatch over gRPC (callback API): authenticates every
// call, checks the role against the access table (libs/auth/access.h),
// converts between messages and the domain, and answers with the Status
// mapping of libs/status. Roles as in dispatch.proto: UpsertBranch admin
// only; GetBranch / ListBranches any role; GetOrder / ListOrders any role, a
// branch its own orders only (checked here); ReassignOrder dispatcher (and
// admin).

#include "hotline/dispatch/v1/dispatch.grpc.pb.h"
#include "libs/auth/token_store.h"
#include "libs/pg/pool.h"
#include "libs/rpc/handler_pool.h"
#include "services/dispatch/desk/order_desk.h"
#include "services/dispatch/domain/branch.h"

namespace hotline::dispatch {

class DispatchService final : public v1::Dispatch::CallbackService {
 public:
  DispatchService(pg::Pool& pool, const auth::TokenStore& tokens, OrderDesk& desk,
                  ArrivalLimits arrival_limits, rpc::HandlerPool& handlers);

  grpc::ServerUnaryReactor* UpsertBranch(grpc::CallbackServerContext* context,
                                         const v1::Branch* request, v1::Branch* response) override;
  grpc::ServerUnaryReactor* GetBranch(grpc::CallbackServerContext* context,
                                      const v1::GetBranchRequest* request,
                                      v1::Branch* response) override;
  grpc::ServerUnaryReactor* ListBranches(grpc::CallbackServerContext* context,
                                         const v1::ListBranchesRequest* request,
                                         v1::ListBranchesResponse* response) override;
  grpc::ServerUnaryReactor* GetOrder(grpc::CallbackServerContext* context,
                                     const v1::GetOrderRequest* request,
                                     v1::Order* response) override;
  grpc::ServerUnaryReactor* ListOrders(grpc::CallbackServerContext* context,
                                       const v1::ListOrdersRequest* request,
                                       v1::ListOrdersResponse* response) override;
  grpc::ServerUnaryReactor* ReassignOrder(grpc::CallbackServerContext* context,
                                          const v1::ReassignOrderRequest* request,
                                          v1::Order* response) override;

 private:
  pg::Pool& pool_;
  const auth::TokenStore& tokens_;
  OrderDesk& desk_;
  const ArrivalLimits arrival_limits_;
  rpc::HandlerPool& handlers_;
};

// The page size of a PageRequest: 50 when 0; INVALID_ARGUMENT outside 0..500.
absl::StatusOr<int> PageSize(const common::v1::PageRequest& page);

}  // namespace hotline::dispatch
