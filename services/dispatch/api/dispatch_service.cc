#include "services/dispatch/api/dispatch_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/pg/transaction.h"
#include "libs/rpc/answer.h"
#include "libs/status/status.h"
#include "services/dispatch/api/proto_convert.h"
#include "services/dispatch/store/branch_store.h"

namespace hotline::dispatch {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

}  // namespace

absl::StatusOr<int> PageSize(const common::v1::PageRequest& page) {
  if (page.page_size() < 0 || page.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page.page_size: 0 (default ", kDefaultPageSize, ") to ", kMaxPageSize));
  }
  return page.page_size() == 0 ? kDefaultPageSize : page.page_size();
}

DispatchService::DispatchService(pg::Pool& pool, const auth::TokenStore& tokens, OrderDesk& desk,
                                 ArrivalLimits arrival_limits, rpc::HandlerPool& handlers)
    : pool_(pool),
      tokens_(tokens),
      desk_(desk),
      arrival_limits_(arrival_limits),
      handlers_(handlers) {}

grpc::ServerUnaryReactor* DispatchService::UpsertBranch(grpc::CallbackServerContext* context,
                                                        const v1::Branch* request,
                                                        v1::Branch* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(
        auth::AuthorizeCall(tokens_, *context, "/hotline.dispatch.v1.Dispatch/UpsertBranch")
            .status());
    Branch branch = BranchFromProto(*request);
    HOTLINE_RETURN_IF_ERROR(ValidateBranch(branch));
    branch = NormalizeBranch(std::move(branch), arrival_limits_);
    HOTLINE_ASSIGN_OR_RETURN(
        Branch saved,
        pg::WithTransactionResult<Branch>(pool_, [&](pqxx::work& tx) -> absl::StatusOr<Branch> {
          HOTLINE_RETURN_IF_ERROR(SaveBranch(tx, branch));
          return LoadBranch(tx, branch.branch_id);
        }));
    *response = BranchToProto(saved);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DispatchService::GetBranch(grpc::CallbackServerContext* context,
                                                     const v1::GetBranchRequest* request,
                                                     v1::Branch* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(
        auth::AuthorizeCall(tokens_, *context, "/hotline.dispatch.v1.Dispatch/GetBranch").status());
    if (request->branch_id().empty()) {
      return absl::InvalidArgumentError("branch_id: required");
    }
    HOTLINE_ASSIGN_OR_RETURN(Branch branch,
                             pg::WithTransactionResult<Branch>(pool_, [&](pqxx::work& tx) {
                               return LoadBranch(tx, request->branch_id());
                             }));
    *response = BranchToProto(branch);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DispatchService::ListBranches(grpc::CallbackServerContext* context,
                                                        const v1::ListBranchesRequest* request,
                                                        v1::ListBranchesResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(
        auth::AuthorizeCall(tokens_, *context, "/hotline.dispatch.v1.Dispatch/ListBranches")
            .status());
    HOTLINE_ASSIGN_OR_RETURN(int size, PageSize(request->page()));
    HOTLINE_ASSIGN_OR_RETURN(
        std::vector<Branch> branches,
        pg::WithTransactionResult<std::vector<Branch>>(pool_, [&](pqxx::work& tx) {
          return dispatch::ListBranches(tx, request->kind(), request->page().cursor(), size);
        }));
    for (const Branch& b : branches) {
      *response->add_branches() = BranchToProto(b);
    }
    if (static_cast<int>(branches.size()) == size) {
      response->mutable_page()->set_next_cursor(branches.back().branch_id);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DispatchService::GetOrder(grpc::CallbackServerContext* context,
                                                    const v1::GetOrderRequest* request,
                                                    v1::Order* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auth::Principal principal,
        auth::AuthorizeCall(tokens_, *context, "/hotline.dispatch.v1.Dispatch/GetOrder"));
    HOTLINE_ASSIGN_OR_RETURN(v1::Order order, desk_.Get(request->order_id()));
    if (principal.role == auth::Role::kBranch && order.branch_id() != principal.branch_id) {
      return absl::PermissionDeniedError(absl::StrCat(
          "order ", order.order_number(), " is not branch ", principal.branch_id, "'s"));
    }
    *response = std::move(order);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DispatchService::ListOrders(grpc::CallbackServerContext* context,
                                                      const v1::ListOrdersRequest* request,
                                                      v1::ListOrdersResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auth::Principal principal,
        auth::AuthorizeCall(tokens_, *context, "/hotline.dispatch.v1.Dispatch/ListOrders"));
    HOTLINE_ASSIGN_OR_RETURN(int size, PageSize(request->page()));
    OrderFilter filter;
    filter.branch_id = request->branch_id();
    filter.status = request->status();
    filter.ticket_id = request->ticket_id();
    filter.with_dispatcher = request->with_dispatcher();
    if (principal.role == auth::Role::kBranch) {
      if (!filter.branch_id.empty() && filter.branch_id != principal.branch_id) {
        return absl::PermissionDeniedError(absl::StrCat(
            "branch_id: a branch lists its own orders only (", principal.branch_id, ")"));
      }
      filter.branch_id = principal.branch_id;
    }
    int64_t after = 0;
    if (!request->page().cursor().empty() &&
        (!absl::SimpleAtoi(request->page().cursor(), &after) || after < 0)) {
      return absl::InvalidArgumentError("page.cursor: not one this service gave out");
    }
    HOTLINE_ASSIGN_OR_RETURN(OrderDesk::Page page, desk_.List(filter, after, size));
    for (v1::Order& order : page.orders) {
      *response->add_orders() = std::move(order);
    }
    if (response->orders_size() == size) {
      response->mutable_page()->set_next_cursor(absl::StrCat(page.last_seq));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DispatchService::ReassignOrder(grpc::CallbackServerContext* context,
                                                         const v1::ReassignOrderRequest* request,
                                                         v1::Order* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(
        auth::Principal principal,
        auth::AuthorizeCall(tokens_, *context, "/hotline.dispatch.v1.Dispatch/ReassignOrder"));
    HOTLINE_ASSIGN_OR_RETURN(*response, desk_.Reassign(principal.name, request->order_id(),
                                                       request->branch_id(), request->note()));
    return absl::OkStatus();
  });
}

}  // namespace hotline::dispatch
