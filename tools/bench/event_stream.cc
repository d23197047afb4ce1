#include "tools/bench/event_stream.h"

#include "tools/bench/client.h"

namespace hotline::bench {

void EventStream::Start(hotline::intake::v1::CallCenter::Stub& stub, const std::string& token,
                        absl::Duration timeout,
                        std::vector<hotline::intake::v1::CallEventBatch> batches, Done done) {
  auto* stream = new EventStream(std::move(batches), std::move(done));
  PrepareContext(stream->context_, token, timeout);
  stub.async()->StreamCallEvents(&stream->context_, &stream->response_, stream);
  if (stream->batches_.empty()) {
    stream->StartWritesDone();
  } else {
    stream->StartWrite(&stream->batches_[stream->next_++]);
  }
  stream->StartCall();
}

void EventStream::OnWriteDone(bool ok) {
  if (ok && next_ < batches_.size()) {
    StartWrite(&batches_[next_++]);
    return;
  }
  StartWritesDone();
}

void EventStream::OnDone(const grpc::Status& status) {
  done_(status, response_);
  delete this;
}

}  // namespace hotline::bench
