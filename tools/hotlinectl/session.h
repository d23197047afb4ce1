#pragma once

// What every hotlinectl command talks through: the services' addresses, the
// bearer token, the call timeout and the output form, read from the global
// flags and the environment; channels and authorised call contexts.

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/hotlinectl/args.h"

namespace hotline::ctl {

// The five services in port order, as `tools/dev up` starts them.
const std::vector<std::string>& ServiceNames();

// The flags every command takes: --intake ... --survey, --token, --role,
// --timeout, --json, --ca-file, --help.
const std::vector<FlagSpec>& GlobalFlags();

// Reads an environment variable; "" when unset. Injected for tests.
using EnvLookup = std::function<std::string(const std::string& name)>;

struct SessionOptions {
  std::map<std::string, std::string> addresses;  // service -> host:port
  std::string token;
  std::string role;          // the role whose dev token is used (when no --token)
  std::string token_source;  // "--token", "HOTLINE_CTL_TOKEN", or the dev-tokens file
  absl::Duration timeout = absl::Seconds(10);
  bool json = false;
  std::string ca_file;
};

// The addresses, timeout and output form from the flags, then the
// environment (HOTLINE_CTL_<SERVICE>_ADDRESS), then the dev defaults
// 127.0.0.1:50051..50055. The token: --token, else HOTLINE_CTL_TOKEN, else
// the dev token of --role (or `default_role`) from `dev_tokens_text`
// (empty: no dev-tokens file was found). Usage errors name the flag.
absl::StatusOr<SessionOptions> ReadSessionOptions(const ParsedArgs& args, const EnvLookup& env,
                                                  const std::string& default_role,
                                                  const std::string& dev_tokens_path,
                                                  const std::string& dev_tokens_text);

class Session {
 public:
  Session(SessionOptions options, std::ostream& out);

  // A channel to a service (one of ServiceNames()), made on first use.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(const std::string& service);
  template <typename Service>
  absl::StatusOr<std::unique_ptr<typename Service::Stub>> Stub(const std::string& service) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Channel(service);
    if (!channel.ok()) {
      return channel.status();
    }
    return Service::NewStub(*channel);
  }
  // A context carrying the bearer token and the deadline now + timeout.
  std::unique_ptr<grpc::ClientContext> NewCall() const;

  bool json() const { return options_.json; }
  std::ostream& out() { return out_; }
  absl::TimeZone zone() const { return zone_; }
  const SessionOptions& options() const { return options_; }

  // Prints a message as JSON (proto3 JSON mapping, indented).
  void PrintJson(const google::protobuf::Message& message);

 private:
  SessionOptions options_;
  std::ostream& out_;
  absl::TimeZone zone_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

// A failed call as a Status with the same code and message; main prints it
// as "hotlinectl: <CODE>: <message>" and exits with the RPC error code.
absl::Status RpcError(const grpc::Status& status);

// A message as proto3 JSON (indented); the whole status on failure.
absl::StatusOr<std::string> JsonOf(const google::protobuf::Message& message);

}  // namespace hotline::ctl
