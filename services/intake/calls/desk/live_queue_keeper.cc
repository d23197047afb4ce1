#include "services/intake/calls/desk/live_queue_keeper.h"

#include "libs/log/log.h"
#include "libs/status/status.h"

namespace hotline::intake {
namespace {

constexpr char kComponent[] = "calls.live_queue";
// A burst of changes is published at most this often.
constexpr absl::Duration kMinGap = absl::Milliseconds(50);

}  // namespace

LiveQueueKeeper::LiveQueueKeeper(CallStore& store, LiveQueueRedis& live, CallMetrics& metrics,
                                 LiveQueueHub& hub, absl::Duration check_interval,
                                 absl::Duration sweep_interval, const clock::Clock& clock)
    : store_(store),
      live_(live),
      metrics_(metrics),
      hub_(hub),
      clock_(clock),
      sweep_interval_(sweep_interval),
      worker_({kComponent, check_interval, check_interval, kMinGap},
              [this, check_interval]() -> absl::StatusOr<absl::Duration> {
                HOTLINE_RETURN_IF_ERROR(CheckOnce());
                return check_interval;
              }) {
  hub_.OnChange([this] { worker_.Wake(); });
}

LiveQueueKeeper::~LiveQueueKeeper() {
  hub_.OnChange(nullptr);
  Stop();
}

void LiveQueueKeeper::Start() { worker_.Start(); }

void LiveQueueKeeper::Stop() { worker_.Stop(); }

absl::Status LiveQueueKeeper::CheckOnce() {
  HOTLINE_ASSIGN_OR_RETURN(bool built, live_.IsBuilt());
  const absl::Time now = clock_.Now();
  // A test clock set back does not postpone the sweep by the jump.
  const bool sweep_due = now >= next_sweep_ || next_sweep_ - now > sweep_interval_;
  if (!built || hub_.dirty()) {
    HOTLINE_RETURN_IF_ERROR(
        Rebuild(built ? "a write to Redis failed" : "Redis lost the live queue"));
    next_sweep_ = now + sweep_interval_;
  } else if (sweep_due) {
    HOTLINE_RETURN_IF_ERROR(Sweep());
    next_sweep_ = now + sweep_interval_;
  }
  HOTLINE_ASSIGN_OR_RETURN(std::vector<LiveQueue> all, live_.ReadAll());
  metrics_.SetLive(all);
  hub_.Publish(all, clock_.Now());
  return absl::OkStatus();
}

absl::Status LiveQueueKeeper::Rebuild(const char* reason) {
  size_t waiting = 0;
  size_t agents = 0;
  absl::Status rebuilt = store_.WithLiveTruth([&](const LiveTruth& truth) -> absl::Status {
    HOTLINE_RETURN_IF_ERROR(live_.Rebuild(truth, clock_.Now()));
    hub_.ClearDirty();
    waiting = truth.waiting.size();
    agents = truth.agents.size();
    return absl::OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(rebuilt);
  log::Info(kComponent, "live queue rebuilt from PostgreSQL (", reason, "): ", waiting,
            " calls waiting, ", agents, " agents");
  return absl::OkStatus();
}

absl::Status LiveQueueKeeper::Sweep() {
  bool differed = false;
  absl::Status swept = store_.WithLiveTruth([&](const LiveTruth& truth) -> absl::Status {
    HOTLINE_ASSIGN_OR_RETURN(std::vector<LiveQueue> all, live_.ReadAll());
    if (SelectQueues(all, "") == LiveQueuesOf(truth)) {
      return absl::OkStatus();
    }
    differed = true;
    return live_.Rebuild(truth, clock_.Now());
  });
  HOTLINE_RETURN_IF_ERROR(swept);
  if (differed) {
    log::Warn(kComponent, "live queue differed from PostgreSQL: rebuilt from it");
  }
  return absl::OkStatus();
}

}  // namespace hotline::intake
