#include "tools/hotlinectl/session.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/tls.h"
#include "libs/rpc/channel.h"
#include "libs/status/status.h"
#include "tools/hotlinectl/dev_tokens.h"

namespace hotline::ctl {

const std::vector<std::string>& ServiceNames() {
  static const auto* names =
      new std::vector<std::string>{"intake", "dispatch", "sla", "outage", "survey"};
  return *names;
}

const std::vector<FlagSpec>& GlobalFlags() {
  static const auto* flags = [] {
    auto* f = new std::vector<FlagSpec>;
    int port = 50051;
    for (const std::string& service : ServiceNames()) {
      f->push_back({service, "HOST:PORT",
                    absl::StrCat("the ", service, " service (env HOTLINE_CTL_",
                                 absl::AsciiStrToUpper(service),
                                 "_ADDRESS; default 127.0.0.1:", port++, ")")});
    }
    f->push_back({"token", "TOKEN", "bearer token (env HOTLINE_CTL_TOKEN)"});
    f->push_back({"role", "ROLE",
                  "use the dev token of ROLE from .dev/dev-tokens (agent, shift_leader, "
                  "dispatcher, branch, supervisor, discipline, service, admin)"});
    f->push_back({"timeout", "DURATION", "deadline of each call (default 10s)"});
    f->push_back({"ca-file", "PEM", "CA of the services' certificates; default plaintext"});
    f->push_back({"json", "", "print the answers as JSON (proto3 JSON mapping)"});
    f->push_back({"help", "", "show help"});
    return f;
  }();
  return *flags;
}

absl::StatusOr<SessionOptions> ReadSessionOptions(const ParsedArgs& args, const EnvLookup& env,
                                                  const std::string& default_role,
                                                  const std::string& dev_tokens_path,
                                                  const std::string& dev_tokens_text) {
  SessionOptions options;
  int port = 50051;
  for (const std::string& service : ServiceNames()) {
    std::string address = args.Get(service);
    if (address.empty()) {
      address = env(absl::StrCat("HOTLINE_CTL_", absl::AsciiStrToUpper(service), "_ADDRESS"));
    }
    if (address.empty()) {
      address = absl::StrCat("127.0.0.1:", port);
    }
    ++port;
    options.addresses[service] = address;
  }
  if (args.Has("timeout")) {
    if (!absl::ParseDuration(args.Get("timeout"), &options.timeout) ||
        options.timeout <= absl::ZeroDuration()) {
      return UsageError(absl::StrCat("--timeout: '", args.Get("timeout"),
                                     "' is not a positive duration (e.g. 10s, 1m)"));
    }
  }
  options.json = args.Switch("json");
  options.ca_file = args.Get("ca-file");
  options.role = args.Get("role", default_role);
  if (args.Has("token")) {
    options.token = args.Get("token");
    options.token_source = "--token";
  } else if (!args.Has("role") && !env("HOTLINE_CTL_TOKEN").empty()) {
    options.token = env("HOTLINE_CTL_TOKEN");
    options.token_source = "HOTLINE_CTL_TOKEN";
  } else if (dev_tokens_text.empty()) {
    return UsageError(absl::StrCat(
        "no token: give --token TOKEN (or HOTLINE_CTL_TOKEN), or run `tools/dev up` so that "
        ".dev/dev-tokens holds the dev token of role '",
        options.role, "'"));
  } else {
    absl::StatusOr<std::string> token = DevTokenOfRole(dev_tokens_text, options.role);
    if (!token.ok()) {
      return UsageError(absl::StrCat(dev_tokens_path, ": ", token.status().message()));
    }
    options.token = *token;
    options.token_source = dev_tokens_path;
  }
  if (options.token.empty()) {
    return UsageError("--token: empty");
  }
  return options;
}

Session::Session(SessionOptions options, std::ostream& out)
    : options_(std::move(options)), out_(out), zone_(absl::LocalTimeZone()) {}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Session::Channel(const std::string& service) {
  auto it = channels_.find(service);
  if (it != channels_.end()) {
    return it->second;
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      auth::MakeChannelCredentials({options_.ca_file, "", ""});
  if (!credentials.ok()) {
    return UsageError(absl::StrCat("--ca-file: ", credentials.status().message()));
  }
  rpc::ChannelOptions channel;
  channel.target = options_.addresses.at(service);
  channel.credentials = *credentials;
  std::shared_ptr<grpc::Channel> made = rpc::MakeChannel(channel);
  channels_[service] = made;
  return made;
}

std::unique_ptr<grpc::ClientContext> Session::NewCall() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + options_.token);
  rpc::SetDeadline(*context, options_.timeout);
  return context;
}

void Session::PrintJson(const google::protobuf::Message& message) {
  absl::StatusOr<std::string> json = JsonOf(message);
  out_ << (json.ok() ? *json : std::string(json.status().message())) << "\n";
}

absl::Status RpcError(const grpc::Status& status) { return FromGrpcStatus(status); }

absl::StatusOr<std::string> JsonOf(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  google::protobuf::util::Status status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(std::string(status.message()));
  }
  while (!json.empty() && json.back() == '\n') {
    json.pop_back();
  }
  return json;
}

}  // namespace hotline::ctl
