#include "libs/rpc/readiness.h"

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"

namespace hotline::rpc {

ReadinessWatcher::ReadinessWatcher(RpcServer& server, std::vector<ReadinessProbe> probes,
                                   absl::Duration every)
    : server_(server),
      probes_(std::move(probes)),
      worker_({"rpc.readiness", every}, [this, every]() -> absl::StatusOr<absl::Duration> {
        Round();
        return every;
      }) {
  worker_.Start();
}

ReadinessWatcher::~ReadinessWatcher() { worker_.Stop(); }

std::string ReadinessWatcher::FirstFailure() const {
  for (const auto& [name, probe] : probes_) {
    if (absl::Status status = probe(); !status.ok()) {
      return absl::StrCat("probe ", name, " failed: ", status.ToString());
    }
  }
  return "";
}

void ReadinessWatcher::Round() {
  std::string failure = FirstFailure();
  if (last_.has_value() && failure == *last_) {
    return;
  }
  server_.SetServing(failure.empty());
  if (failure.empty()) {
    log::Info("rpc", "ready: all ", probes_.size(), " readiness probes pass");
  } else {
    log::Warn("rpc", "not ready: ", failure);
  }
  last_ = std::move(failure);
}

}  // namespace hotline::rpc
