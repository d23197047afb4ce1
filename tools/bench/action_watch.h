#pragma once

// One WatchEvents stream of sla on gRPC's callback API: every action (a
// warning, breach, urging or supervision case) goes to `on_action` on a gRPC
// thread, with the time it arrived, and the next read starts. Stop() cancels
// the stream; the owner waits for WaitEnded() before freeing it.

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "hotline/sla/v1/sla.grpc.pb.h"

namespace hotline::bench {

class ActionWatch : public grpc::ClientReadReactor<hotline::sla::v1::SlaAction> {
 public:
  using OnAction = std::function<void(const hotline::sla::v1::SlaAction&, absl::Time arrived)>;

  explicit ActionWatch(OnAction on_action) : on_action_(std::move(on_action)) {}

  // Watches only what fires from now on, for at most `timeout`.
  void Start(hotline::sla::v1::SlaTracker::Stub& stub, const std::string& token,
             absl::Duration timeout);
  void Stop() { context_.TryCancel(); }
  // Waits up to `timeout` for the stream to end; its status, or
  // DEADLINE_EXCEEDED when it has not ended.
  grpc::Status WaitEnded(absl::Duration timeout);
  // The stream has ended (an error, or Stop()).
  bool ended();

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  OnAction on_action_;
  grpc::ClientContext context_;
  hotline::sla::v1::WatchEventsRequest request_;
  hotline::sla::v1::SlaAction action_;
  absl::Mutex mu_;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::bench
