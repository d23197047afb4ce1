#include "libs/rpc/readiness.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/log/log.h"

namespace hotline::rpc {

ReadinessWatcher::ReadinessWatcher(RpcServer& server, std::vector<ReadinessProbe> probes,
                                   absl::Duration every)
    : server_(server), probes_(std::move(probes)), every_(every), thread_([this] { Run(); }) {}

ReadinessWatcher::~ReadinessWatcher() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

std::string ReadinessWatcher::FirstFailure() const {
  for (const auto& [name, probe] : probes_) {
    if (absl::Status status = probe(); !status.ok()) {
      return absl::StrCat("probe ", name, " failed: ", status.ToString());
    }
  }
  return "";
}

void ReadinessWatcher::Run() {
  std::optional<std::string> last;  // unset until the first round
  while (true) {
    std::string failure = FirstFailure();
    if (!last.has_value() || failure != *last) {
      server_.SetServing(failure.empty());
      if (failure.empty()) {
        log::Info("rpc", "ready: all ", probes_.size(), " readiness probes pass");
      } else {
        log::Warn("rpc", "not ready: ", failure);
      }
      last = std::move(failure);
    }
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stop_), every_)) {
      return;
    }
  }
}

}  // namespace hotline::rpc
