#include "libs/rpc/channel.h"

#include <grpc/grpc.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/rpc/duration_arg.h"
#include "libs/rpc/server.h"

namespace hotline::rpc {
namespace {

// google.protobuf.Duration in JSON: decimal seconds with an "s" suffix.
std::string JsonDuration(absl::Duration d) {
  return absl::StrFormat("%.3fs", std::max(0.001, absl::ToDoubleSeconds(d)));
}

// The service config's list of method names: [{"service":"p.S","method":"M"},...].
std::string JsonMethodNames(const std::vector<std::string>& methods) {
  std::vector<std::string> names;
  for (const std::string& method : methods) {
    std::pair<std::string, std::string> parts = absl::StrSplit(method, absl::MaxSplits('/', 1));
    names.push_back(
        absl::StrCat(R"({"service":")", parts.first, R"(","method":")", parts.second, R"("})"));
  }
  return absl::StrCat("[", absl::StrJoin(names, ","), "]");
}

}  // namespace

std::string ServiceConfigJson(const ChannelOptions& options) {
  if (options.max_attempts <= 1 || options.retry_codes.empty() || options.retry_methods.empty()) {
    return R"({"methodConfig":[{"name":[{}]}]})";
  }
  return absl::StrCat(R"({"methodConfig":[{"name":)", JsonMethodNames(options.retry_methods),
                      R"(,"retryPolicy":{"maxAttempts":)", std::min(options.max_attempts, 5),
                      R"(,"initialBackoff":")", JsonDuration(options.initial_backoff),
                      R"(","maxBackoff":")", JsonDuration(options.max_backoff),
                      R"(","backoffMultiplier":2,"retryableStatusCodes":[")",
                      absl::StrJoin(options.retry_codes, R"(",")"), R"("]}}]})");
}

std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(ServiceConfigJson(options));
  // Our config, not one a DNS TXT record might carry.
  args.SetInt(GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION, 1);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, internal::ChannelArgMilliseconds(std::max(
                                              options.keepalive_time, kMinClientPingInterval)));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
              internal::ChannelArgMilliseconds(options.keepalive_timeout));
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  args.SetMaxSendMessageSize(options.max_send_message_bytes);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      options.credentials != nullptr ? options.credentials : grpc::InsecureChannelCredentials();
  return grpc::CreateCustomChannel(options.target, credentials, args);
}

void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

}  // namespace hotline::rpc
