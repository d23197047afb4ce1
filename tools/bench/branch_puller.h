#pragma once

// One branch system's PullOrders stream on gRPC's callback API: every
// delivery goes to `on_delivery` (on a gRPC thread) and the next read starts.
// Stop() cancels the stream; the owner waits for Ended() before freeing it.

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "hotline/dispatch/v1/dispatch.grpc.pb.h"

namespace hotline::bench {

class BranchPuller : public grpc::ClientReadReactor<hotline::dispatch::v1::PullOrdersResponse> {
 public:
  using OnDelivery = std::function<void(const hotline::dispatch::v1::Delivery&)>;

  BranchPuller(std::string branch_id, std::string token, OnDelivery on_delivery)
      : branch_id_(std::move(branch_id)),
        token_(std::move(token)),
        on_delivery_(std::move(on_delivery)) {}

  void Start(hotline::dispatch::v1::BranchOrders::Stub& stub, absl::Duration timeout);
  void Stop() { context_.TryCancel(); }
  // Waits up to `timeout` for the stream to end; its status, or
  // DEADLINE_EXCEEDED when it has not ended.
  grpc::Status WaitEnded(absl::Duration timeout);

  const std::string& branch_id() const { return branch_id_; }
  const std::string& token() const { return token_; }

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  const std::string branch_id_;
  const std::string token_;
  OnDelivery on_delivery_;
  grpc::ClientContext context_;
  hotline::dispatch::v1::PullOrdersRequest request_;
  hotline::dispatch::v1::PullOrdersResponse response_;
  absl::Mutex mu_;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::bench
