#pragma once

// One StreamCallEvents call on gRPC's callback API: writes its batches one
// after the other, closes, and reports intake's answer. Owns itself; deletes
// itself after `done` ran.

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "hotline/intake/v1/call_center.grpc.pb.h"

namespace hotline::bench {

class EventStream : public grpc::ClientWriteReactor<hotline::intake::v1::CallEventBatch> {
 public:
  using Done = std::function<void(const grpc::Status&,
                                  const hotline::intake::v1::StreamCallEventsResponse&)>;

  // Starts the stream; `done` runs on a gRPC thread when it has ended.
  static void Start(hotline::intake::v1::CallCenter::Stub& stub, const std::string& token,
                    absl::Duration timeout,
                    std::vector<hotline::intake::v1::CallEventBatch> batches, Done done);

  void OnWriteDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  EventStream(std::vector<hotline::intake::v1::CallEventBatch> batches, Done done)
      : batches_(std::move(batches)), done_(std::move(done)) {}

  grpc::ClientContext context_;
  hotline::intake::v1::StreamCallEventsResponse response_;
  std::vector<hotline::intake::v1::CallEventBatch> batches_;
  size_t next_ = 0;
  Done done_;
};

}  // namespace hotline::bench
