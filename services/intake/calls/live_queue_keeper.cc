#include "services/intake/calls/live_queue_keeper.h"

#include "libs/log/log.h"
#include "libs/status/status.h"

namespace hotline::intake {
namespace {

constexpr char kComponent[] = "calls";
// A burst of changes is published at most this often.
constexpr absl::Duration kMinGap = absl::Milliseconds(50);

}  // namespace

LiveQueueKeeper::LiveQueueKeeper(CallStore& store, LiveQueueRedis& live, CallMetrics& metrics,
                                 LiveQueueHub& hub, absl::Duration check_interval, Clock clock)
    : store_(store),
      live_(live),
      metrics_(metrics),
      hub_(hub),
      check_interval_(check_interval),
      clock_(std::move(clock)) {}

LiveQueueKeeper::~LiveQueueKeeper() { Stop(); }

void LiveQueueKeeper::Start() {
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { Run(); });
  }
}

void LiveQueueKeeper::Stop() {
  if (!stop_.HasBeenNotified()) {
    stop_.Notify();
  }
  hub_.Wake();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void LiveQueueKeeper::Run() {
  while (!stop_.HasBeenNotified()) {
    absl::Status status = CheckOnce();
    if (!status.ok() && !failing_) {
      log::Warn(kComponent, "live queue check failed (retrying every ",
                absl::FormatDuration(check_interval_), "): ", status.ToString());
    } else if (status.ok() && failing_) {
      log::Info(kComponent, "live queue checks work again");
    }
    failing_ = !status.ok();
    if (stop_.WaitForNotificationWithTimeout(kMinGap)) {
      break;
    }
    hub_.WaitForChange(check_interval_ - kMinGap);
  }
}

absl::Status LiveQueueKeeper::CheckOnce() {
  HOTLINE_ASSIGN_OR_RETURN(bool built, live_.IsBuilt());
  if (!built || hub_.dirty()) {
    const char* reason = built ? "a write to Redis failed" : "Redis lost the live queue";
    size_t waiting = 0;
    size_t agents = 0;
    absl::Status rebuilt = store_.WithLiveTruth([&](const LiveTruth& truth) -> absl::Status {
      absl::Status written = live_.Rebuild(truth, clock_());
      if (written.ok()) {
        hub_.ClearDirty();
        waiting = truth.waiting.size();
        agents = truth.agents.size();
      }
      return written;
    });
    HOTLINE_RETURN_IF_ERROR(rebuilt);
    log::Info(kComponent, "live queue rebuilt from PostgreSQL (", reason, "): ", waiting,
              " calls waiting, ", agents, " agents");
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<LiveQueue> all, live_.ReadAll());
  metrics_.SetLive(all);
  hub_.Publish(all, clock_());
  return absl::OkStatus();
}

}  // namespace hotline::intake
