#include "services/dispatch/api/branch_orders_service.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "libs/auth/access.h"
#include "libs/rpc/answer.h"
#include "libs/rpc/request_text.h"
#include "libs/status/status.h"
#include "services/dispatch/api/proto_convert.h"
#include "services/dispatch/api/pull_sessions.h"

namespace hotline::dispatch {
namespace {

struct PullStart {
  PullCursor cursor;
  bool resume = false;
  int max = 0;
};

absl::StatusOr<PullStart> StartOf(const std::string& cursor_text, int requested_max,
                                  absl::string_view max_field, int default_max) {
  PullStart start;
  if (cursor_text.empty()) {
    start.cursor = PullCursor::Fresh();
  } else {
    HOTLINE_ASSIGN_OR_RETURN(start.cursor, PullCursor::Parse(cursor_text));
    start.resume = true;
  }
  if (requested_max < 0 || requested_max > 1000) {
    return absl::InvalidArgumentError(absl::StrCat(max_field, ": 0 (the default) to 1000"));
  }
  start.max = requested_max == 0 ? default_max : requested_max;
  return start;
}

}  // namespace

BranchOrdersService::BranchOrdersService(const auth::TokenStore& tokens, OrderDesk& desk,
                                         PullHub& hub, PullLimits limits,
                                         rpc::HandlerPool& handlers, const clock::Clock& clock)
    : tokens_(tokens),
      desk_(desk),
      hub_(hub),
      limits_(limits),
      handlers_(handlers),
      clock_(clock) {}

absl::StatusOr<std::string> BranchOrdersService::BranchOf(
    const grpc::CallbackServerContext& context, absl::string_view method) const {
  HOTLINE_ASSIGN_OR_RETURN(auth::Principal principal,
                           auth::AuthorizeCall(tokens_, context, method));
  if (principal.branch_id.empty()) {  // TokenStore gives every branch token one
    return absl::PermissionDeniedError(
        absl::StrCat("token ", principal.name, " names no branch to act for"));
  }
  return principal.branch_id;
}

grpc::ServerWriteReactor<v1::PullOrdersResponse>* BranchOrdersService::PullOrders(
    grpc::CallbackServerContext* context, const v1::PullOrdersRequest* request) {
  absl::StatusOr<std::string> branch =
      BranchOf(*context, "/hotline.dispatch.v1.BranchOrders/PullOrders");
  if (branch.ok()) {
    if (absl::Status clean = rpc::CleanRequest(request); !clean.ok()) {
      branch = clean;
    }
  }
  absl::StatusOr<PullStart> start = branch.ok()
                                        ? StartOf(request->cursor(), request->max_outstanding(),
                                                  "max_outstanding", limits_.max_outstanding)
                                        : absl::StatusOr<PullStart>(branch.status());
  if (!start.ok()) {
    class Refused final : public grpc::ServerWriteReactor<v1::PullOrdersResponse> {
     public:
      explicit Refused(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
      void OnDone() override { delete this; }
    };
    return new Refused(start.status());
  }
  return StartPullStream(hub_, *branch, std::move(start->cursor), start->resume, start->max);
}

grpc::ServerUnaryReactor* BranchOrdersService::PollOrders(grpc::CallbackServerContext* context,
                                                          const v1::PollOrdersRequest* request,
                                                          v1::PollOrdersResponse* response) {
  absl::StatusOr<std::string> branch =
      BranchOf(*context, "/hotline.dispatch.v1.BranchOrders/PollOrders");
  if (branch.ok()) {
    if (absl::Status clean = rpc::CleanRequest(request); !clean.ok()) {
      branch = clean;
    }
  }
  absl::StatusOr<PullStart> start = branch.ok() ? StartOf(request->cursor(), request->max_orders(),
                                                          "max_orders", limits_.max_outstanding)
                                                : absl::StatusOr<PullStart>(branch.status());
  absl::Duration wait = absl::ZeroDuration();
  if (start.ok() && request->has_wait()) {
    wait = absl::Milliseconds(
        google::protobuf::util::TimeUtil::DurationToMilliseconds(request->wait()));
    if (wait < absl::ZeroDuration() || wait > limits_.poll_max_wait) {
      start = absl::InvalidArgumentError(absl::StrCat(
          "wait: 0 to ", absl::FormatDuration(limits_.poll_max_wait), " (--poll-max-wait)"));
    }
  }
  if (!start.ok()) {
    return rpc::Answer(context, handlers_, request, [status = start.status()] { return status; });
  }
  return StartPollCall(hub_, *branch, std::move(start->cursor), start->resume, start->max,
                       clock_.Now() + wait, response);
}

grpc::ServerUnaryReactor* BranchOrdersService::AckOrder(grpc::CallbackServerContext* context,
                                                        const v1::AckOrderRequest* request,
                                                        v1::AckOrderResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(std::string branch,
                             BranchOf(*context, "/hotline.dispatch.v1.BranchOrders/AckOrder"));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_order(),
                             desk_.Ack(branch, request->order_id(), request->delivery_id()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* BranchOrdersService::ReportProgress(
    grpc::CallbackServerContext* context, const v1::ReportProgressRequest* request,
    v1::ReportProgressResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(
        std::string branch, BranchOf(*context, "/hotline.dispatch.v1.BranchOrders/ReportProgress"));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_order(),
                             desk_.Report(branch, request->order_id(), ReportFromProto(*request)));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* BranchOrdersService::ReturnOrder(grpc::CallbackServerContext* context,
                                                           const v1::ReturnOrderRequest* request,
                                                           v1::ReturnOrderResponse* response) {
  return rpc::Answer(context, handlers_, request, [=, this]() -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(std::string branch,
                             BranchOf(*context, "/hotline.dispatch.v1.BranchOrders/ReturnOrder"));
    HOTLINE_ASSIGN_OR_RETURN(*response->mutable_order(),
                             desk_.Return(branch, request->order_id(), ReturnFromProto(*request)));
    return absl::OkStatus();
  });
}

}  // namespace hotline::dispatch
