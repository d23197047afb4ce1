#include "tools/bench/branch_puller.h"

#include "tools/bench/client.h"

namespace hotline::bench {

void BranchPuller::Start(hotline::dispatch::v1::BranchOrders::Stub& stub, absl::Duration timeout) {
  PrepareContext(context_, token_, timeout);
  stub.async()->PullOrders(&context_, &request_, this);
  StartRead(&response_);
  StartCall();
}

void BranchPuller::OnReadDone(bool ok) {
  if (!ok) {
    return;  // the stream ends; OnDone follows
  }
  on_delivery_(response_.delivery());
  StartRead(&response_);
}

void BranchPuller::OnDone(const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  ended_ = true;
  status_ = status;
}

grpc::Status BranchPuller::WaitEnded(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  if (!mu_.AwaitWithTimeout(absl::Condition(&ended_), timeout)) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the stream did not end");
  }
  return status_;
}

}  // namespace hotline::bench
