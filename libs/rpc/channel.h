#pragma once

// Client channels with the project's retry, keepalive and size defaults.

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "libs/rpc/idempotent_methods.h"

namespace hotline::rpc {

struct ChannelOptions {
  std::string target;  // "host:port" or any gRPC target URI
  // Made with hotline::auth::MakeChannelCredentials; null means plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // Retries for the methods of retry_methods ("package.Service/Method"; by
  // default the API's RPCs marked idempotent or without side effects):
  // attempts in all (gRPC caps this at 5; 1 or less turns retries off),
  // exponential backoff between initial and max, only for these canonical
  // status code names. Retries happen only while the server has not answered
  // yet, but a server may have committed before its answer was lost, so only
  // methods that a repeat leaves unchanged are retried.
  std::vector<std::string> retry_methods = ApiIdempotentMethods();
  int max_attempts = 4;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  std::vector<std::string> retry_codes = {"UNAVAILABLE"};
  // Keepalive pings, also while no call is open. Values below
  // kMinClientPingInterval (server.h) are raised to it, since servers refuse
  // more frequent pings.
  absl::Duration keepalive_time = absl::Seconds(30);
  absl::Duration keepalive_timeout = absl::Seconds(10);
  int max_receive_message_bytes = 4 << 20;
  int max_send_message_bytes = 4 << 20;
};

// The service config JSON MakeChannel installs (a retryPolicy for retry_methods).
std::string ServiceConfigJson(const ChannelOptions& options);

// A channel to options.target. Connects lazily; never fails (a bad target
// shows up as UNAVAILABLE on the first call). Thread-safe, share it.
std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options);

// Sets the call's deadline to now + timeout.
void SetDeadline(grpc::ClientContext& context, absl::Duration timeout);

}  // namespace hotline::rpc
