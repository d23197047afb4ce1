#include "tools/bench/action_watch.h"

#include "absl/time/clock.h"
#include "tools/bench/client.h"

namespace hotline::bench {

void ActionWatch::Start(hotline::sla::v1::SlaTracker::Stub& stub, const std::string& token,
                        absl::Duration timeout) {
  PrepareContext(context_, token, timeout);
  request_.set_only_new(true);
  stub.async()->WatchEvents(&context_, &request_, this);
  StartRead(&action_);
  StartCall();
}

void ActionWatch::OnReadDone(bool ok) {
  if (!ok) {
    return;  // the stream ends; OnDone follows
  }
  on_action_(action_, absl::Now());
  StartRead(&action_);
}

void ActionWatch::OnDone(const grpc::Status& status) {
  absl::MutexLock lock(&mu_);
  ended_ = true;
  status_ = status;
}

bool ActionWatch::ended() {
  absl::MutexLock lock(&mu_);
  return ended_;
}

grpc::Status ActionWatch::WaitEnded(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  if (!mu_.AwaitWithTimeout(absl::Condition(&ended_), timeout)) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the stream did not end");
  }
  return status_;
}

}  // namespace hotline::bench
