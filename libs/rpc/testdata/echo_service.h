#pragma once

// The test service of libs/rpc's tests, and a server/channel pair around it.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/rpc/channel.h"
#include "libs/rpc/server.h"
#include "test_service.grpc.pb.h"

namespace hotline::rpc::testing {

using ::hotline::rpctest::v1::EchoRequest;
using ::hotline::rpctest::v1::EchoResponse;

inline constexpr char kEchoServiceName[] = "hotline.rpctest.v1.TestService";

// Echo answers with the request's text, except:
// - while fail_next > 0, it fails with UNAVAILABLE (and decrements it);
// - text "internal" fails with INTERNAL;
// - text "hold" stays open until Release() answers it with "released".
class EchoService final : public rpctest::v1::TestService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const EchoRequest* request,
                                 EchoResponse* response) override {
    ++calls;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    if (fail_next.load() > 0) {
      --fail_next;
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again"));
    } else if (request->text() == "internal") {
      reactor->Finish(grpc::Status(grpc::StatusCode::INTERNAL, "broken"));
    } else if (request->text() == "hold") {
      absl::MutexLock lock(&mu_);
      held_reactor_ = reactor;
      held_response_ = response;
    } else {
      response->set_text(request->text());
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

  bool holding() {
    absl::MutexLock lock(&mu_);
    return held_reactor_ != nullptr;
  }

  // Answers the held call, if any.
  void Release() {
    absl::MutexLock lock(&mu_);
    if (held_reactor_ != nullptr) {
      held_response_->set_text("released");
      held_reactor_->Finish(grpc::Status::OK);
      held_reactor_ = nullptr;
    }
  }

  std::atomic<int> calls{0};
  std::atomic<int> fail_next{0};

 private:
  absl::Mutex mu_;
  grpc::ServerUnaryReactor* held_reactor_ ABSL_GUARDED_BY(mu_) = nullptr;
  EchoResponse* held_response_ ABSL_GUARDED_BY(mu_) = nullptr;
};

// Plaintext options for a server on a free loopback port.
inline ServerOptions LoopbackOptions() {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.credentials = grpc::InsecureServerCredentials();
  return options;
}

inline std::string LoopbackTarget(const RpcServer& server) {
  return absl::StrCat("127.0.0.1:", server.port());
}

// A channel without retries, so each call is one attempt.
inline std::shared_ptr<grpc::Channel> PlainChannel(const RpcServer& server) {
  ChannelOptions options;
  options.target = LoopbackTarget(server);
  options.max_attempts = 1;
  return MakeChannel(options);
}

inline grpc::Status CallEcho(const std::shared_ptr<grpc::Channel>& channel, const std::string& text,
                             EchoResponse* response = nullptr,
                             absl::Duration timeout = absl::Seconds(5)) {
  auto stub = rpctest::v1::TestService::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(context, timeout);
  EchoRequest request;
  request.set_text(text);
  EchoResponse ignored;
  return stub->Echo(&context, request, response != nullptr ? response : &ignored);
}

}  // namespace hotline::rpc::testing
