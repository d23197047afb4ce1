#pragma once

// The bench's side of the wire: channels to one service, and one unary call
// on gRPC's callback API (no thread waits for it).

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace hotline::bench {

// `count` channels to `target`, each its own TCP connection, so that many
// calls in flight are not all queued on one HTTP/2 connection. Next() hands
// them out in turn.
class Channels {
 public:
  Channels(const std::string& target, int count);
  const std::shared_ptr<grpc::Channel>& Next();
  const std::vector<std::shared_ptr<grpc::Channel>>& all() const { return channels_; }

 private:
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::atomic<size_t> next_{0};
};

// One stub of `Service` per channel, to pick from by a call's number.
template <typename Service>
std::vector<std::unique_ptr<typename Service::Stub>> StubsOf(const Channels& channels) {
  std::vector<std::unique_ptr<typename Service::Stub>> stubs;
  for (const auto& channel : channels.all()) {
    stubs.push_back(Service::NewStub(channel));
  }
  return stubs;
}

// Sets the bearer token (when not empty) and the deadline of a call.
void PrepareContext(grpc::ClientContext& context, const std::string& token, absl::Duration timeout);

// One unary call: `start(context, request, response, on_done)` issues it with
// the stub's async() method; `done(status, response, took)` runs on a gRPC
// thread when it ends, `took` counted from `due`.
template <typename Request, typename Response>
void CallUnary(
    Request request, const std::string& token, absl::Duration timeout, absl::Time due,
    const std::function<void(grpc::ClientContext*, const Request*, Response*,
                             std::function<void(grpc::Status)>)>& start,
    std::function<void(const grpc::Status&, const Response&, absl::Duration took)> done) {
  struct Call {
    grpc::ClientContext context;
    Request request;
    Response response;
  };
  auto* call = new Call;
  call->request = std::move(request);
  PrepareContext(call->context, token, timeout);
  start(&call->context, &call->request, &call->response,
        [call, due, done = std::move(done)](grpc::Status status) {
          done(status, call->response, absl::Now() - due);
          delete call;
        });
}

}  // namespace hotline::bench
