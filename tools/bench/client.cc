#include "tools/bench/client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/time/clock.h"

namespace hotline::bench {

Channels::Channels(const std::string& target, int count) {
  for (int i = 0; i < std::max(1, count); ++i) {
    grpc::ChannelArguments args;
    // A channel argument of its own keeps gRPC from sharing one connection
    // between the channels.
    args.SetInt("hotline.bench.channel", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels_.push_back(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
  }
}

const std::shared_ptr<grpc::Channel>& Channels::Next() {
  return channels_[next_.fetch_add(1, std::memory_order_relaxed) % channels_.size()];
}

void PrepareContext(grpc::ClientContext& context, const std::string& token,
                    absl::Duration timeout) {
  if (!token.empty()) {
    context.AddMetadata("authorization", "Bearer " + token);
  }
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

}  // namespace hotline::bench
