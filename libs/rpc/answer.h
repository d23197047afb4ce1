#pragma once

// Answering a unary call of the callback API with blocking work, the one way
// every handler does it:
//
//   grpc::ServerUnaryReactor* TicketIntakeService::GetTicket(
//       grpc::CallbackServerContext* context, const v1::GetTicketRequest* request,
//       v1::Ticket* response) {
//     return rpc::Answer(context, pool_, request, [=]() -> absl::Status {
//       ... authorise, validate, call the desk, fill *response ...
//     });
//   }
//
// `work` runs on the HandlerPool, never on gRPC's thread, inside a
// deadline::Scope of the call's deadline (so PostgreSQL waits obey it); its
// status finishes the call through ToGrpcStatus (so an internal error reaches
// the client as an id, its text only the log). Before `work`, the request is
// cleaned by the text rule (libs/rpc/request_text.h): its text trimmed, a
// control character or an over-long field refused naming the field.
// Refusals, without running `work`:
//   RESOURCE_EXHAUSTED  the pool's queue is full (the server is overloaded)
//   DEADLINE_EXCEEDED   the deadline passed before a thread was free
//   CANCELLED           the client cancelled before a thread was free
//   INVALID_ARGUMENT    the request broke the text rule
//
// `work` captures by value or refers to the request and response, which live
// until the call is finished; it must not throw (an exception becomes
// INTERNAL).

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <exception>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/deadline/request_deadline.h"
#include "libs/rpc/handler_pool.h"
#include "libs/rpc/request_text.h"
#include "libs/status/status.h"

namespace hotline::rpc {

// The status Answer finishes with when `work` ran; exposed for streaming
// handlers that do the same by hand.
template <typename Fn>
absl::Status RunWithDeadline(absl::Time deadline, Fn& work) {
  deadline::Scope scope(deadline);
  return CatchExceptions("handler", work);
}

// Why a call that waited for a thread must not run any more, or OK.
absl::Status StillWanted(grpc::CallbackServerContext* context);

// Refusal for a full pool.
absl::Status PoolFull(const HandlerPool& pool);

template <typename Fn>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, HandlerPool& pool,
                                 const google::protobuf::Message* request, Fn&& work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued =
      pool.TrySchedule([context, reactor, request, work = std::forward<Fn>(work)]() mutable {
        absl::Status status = StillWanted(context);
        if (status.ok()) {
          status = CleanRequest(request);
        }
        if (status.ok()) {
          status = RunWithDeadline(absl::FromChrono(context->deadline()), work);
        }
        reactor->Finish(ToGrpcStatus(status));
      });
  if (!queued) {
    reactor->Finish(ToGrpcStatus(PoolFull(pool)));
  }
  return reactor;
}

}  // namespace hotline::rpc
