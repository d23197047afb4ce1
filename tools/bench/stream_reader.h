#pragma once

// One server-streaming call on gRPC's callback API (a branch's PullOrders, sla's
// WatchEvents): every message goes to `on_message` on a gRPC thread, with the
// time it arrived, and the next read starts. Stop() cancels the stream, and
// once it returns `on_message` is not called again (a call already running
// has finished), so what it refers to may go; the owner waits for
// WaitEnded() before freeing the reader itself.

#include <grpcpp/client_context.h>
#include <grpcpp/support/client_callback.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/bench/client.h"

namespace hotline::bench {

template <typename Request, typename Response>
class StreamReader : public grpc::ClientReadReactor<Response> {
 public:
  using OnMessage = std::function<void(const Response&, absl::Time arrived)>;
  // Issues the call with a stub's async() method, e.g.
  //   [&stub](auto* context, auto* request, auto* reactor) {
  //     stub.async()->PullOrders(context, request, reactor);
  //   }
  using Issue =
      std::function<void(grpc::ClientContext*, const Request*, grpc::ClientReadReactor<Response>*)>;

  StreamReader(Request request, OnMessage on_message)
      : request_(std::move(request)), on_message_(std::move(on_message)) {}

  // Starts the stream with `token`, for at most `timeout`.
  void Start(const Issue& issue, const std::string& token, absl::Duration timeout) {
    PrepareContext(context_, token, timeout);
    issue(&context_, &request_, this);
    this->StartRead(&response_);
    this->StartCall();
  }
  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopped_ = true;
    }
    context_.TryCancel();
  }
  // The stream has ended (an error, or Stop()).
  bool ended() {
    absl::MutexLock lock(&mu_);
    return ended_;
  }
  // Waits up to `timeout` for the stream to end; its status, or
  // DEADLINE_EXCEEDED when it has not ended.
  grpc::Status WaitEnded(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&ended_), timeout)) {
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the stream did not end");
    }
    return status_;
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      return;  // the stream ends; OnDone follows
    }
    {
      absl::MutexLock lock(&mu_);
      if (stopped_) {
        return;  // cancelled: OnDone follows
      }
      on_message_(response_, absl::Now());
    }
    this->StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    ended_ = true;
    status_ = status;
  }

 private:
  Request request_;
  OnMessage on_message_;
  grpc::ClientContext context_;
  Response response_;
  absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

// Stops every reader (no message is handed on after this) and waits (up to
// `timeout` each) for its stream to end. A reader whose stream did not end may
// still be called by gRPC: then none is freed (they are released from
// `readers`, deliberately kept; they call nothing of their owner's any more).
// Returns how many did not end.
template <typename Reader>
int StopReaders(std::vector<std::unique_ptr<Reader>>& readers, absl::Duration timeout) {
  for (auto& reader : readers) {
    reader->Stop();
  }
  int unended = 0;
  for (auto& reader : readers) {
    if (reader->WaitEnded(timeout).error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      ++unended;
    }
  }
  if (unended > 0) {
    for (auto& reader : readers) {
      (void)reader.release();
    }
  }
  return unended;
}

}  // namespace hotline::bench
