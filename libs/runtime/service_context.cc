#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/tls.h"
#include "libs/events/delivery.h"
#include "libs/rpc/channel.h"
#include "libs/runtime/outbox_worker.h"
#include "libs/runtime/service_host.h"

namespace hotline::runtime {

absl::StatusOr<std::shared_ptr<grpc::Channel>> ServiceContext::PeerChannel(
    const std::string& name) {
  if (auto it = peers_.find(name); it != peers_.end()) {
    return it->second;
  }
  std::string address = settings_.PeerAddress(name);
  if (address.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("setting --", name, "-address: required"));
  }
  auto credentials = auth::MakeChannelCredentials(auth::ClientTlsOptions{
      settings_.peer_tls_ca, settings_.peer_tls_cert, settings_.peer_tls_key});
  if (!credentials.ok()) {
    return credentials.status();
  }
  rpc::ChannelOptions options;
  options.target = address;
  options.credentials = *credentials;
  auto channel = rpc::MakeChannel(options);
  peers_[name] = channel;
  return channel;
}

absl::StatusOr<std::string> ServiceContext::ServiceToken() const {
  if (settings_.service_token_file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --service-token-file (HOTLINE_SERVICE_TOKEN_FILE): required by ",
                     schema_, " to call the other services"));
  }
  std::ifstream in(settings_.service_token_file);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --service-token-file: cannot read ", settings_.service_token_file));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --service-token-file: ", settings_.service_token_file, " is empty"));
  }
  return token;
}

absl::StatusOr<std::unique_ptr<BackgroundWorker>> ServiceContext::MakeOutboxWorker(
    const std::vector<std::string>& destinations) {
  auto token = ServiceToken();
  if (!token.ok()) {
    return token.status();
  }
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  for (const std::string& destination : destinations) {
    auto channel = PeerChannel(destination);
    if (!channel.ok()) {
      return channel.status();
    }
    channels[destination] = *channel;
  }
  pg::RelayOptions options = settings_.outbox;
  options.destinations = destinations;
  return std::make_unique<OutboxWorker>(
      pool_, schema_,
      std::make_unique<events::PeerDeliverer>(channels, *token, settings_.event_send_timeout),
      std::move(options), notifications_, *metrics_);
}

}  // namespace hotline::runtime
