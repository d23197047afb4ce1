#include "libs/rpc/answer.h"

namespace hotline::rpc {

absl::Status StillWanted(grpc::CallbackServerContext* context) {
  if (context->IsCancelled()) {
    return absl::CancelledError("the call was cancelled before it could run");
  }
  if (absl::FromChrono(context->deadline()) <= absl::Now()) {
    return absl::DeadlineExceededError("the deadline passed while the call waited for a worker");
  }
  return absl::OkStatus();
}

absl::Status PoolFull(const HandlerPool& pool) {
  return absl::ResourceExhaustedError(absl::StrCat("server busy: ", pool.options().queue,
                                                   " calls already waiting; retry with backoff"));
}

}  // namespace hotline::rpc
