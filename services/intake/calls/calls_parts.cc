#include "services/intake/calls/calls_parts.h"

#include <memory>

#include "services/intake/calls/api/call_center_service.h"
#include "services/intake/calls/call_center_settings.h"
#include "services/intake/calls/desk/call_desk.h"
#include "services/intake/calls/desk/call_metrics.h"
#include "services/intake/calls/desk/live_queue_hub.h"
#include "services/intake/calls/desk/live_queue_keeper.h"
#include "services/intake/calls/store/call_store.h"
#include "services/intake/calls/store/live_queue_redis.h"

namespace hotline::intake {
namespace {

CallCenterSettings& Settings() {
  static auto* settings = new CallCenterSettings();
  return *settings;
}

// What the service and the keeper share; each holds it, so it lives until
// the last of them is destroyed.
struct CallCenterCore {
  CallCenterCore(runtime::ServiceContext& context, const CallCenterSettings& settings)
      : store(context.pool()),
        live(context.redis(), settings.redis_prefix),
        metrics(*context.metrics(), settings.MetricQueues()),
        desk(store, live, hub, metrics, context.clock()) {}

  CallStore store;
  LiveQueueRedis live;
  CallMetrics metrics;
  LiveQueueHub hub;
  CallDesk desk;
};

struct CoreHolder {
  std::shared_ptr<CallCenterCore> core;
};

class OwningCallCenterService final : private CoreHolder, public CallCenterService {
 public:
  OwningCallCenterService(std::shared_ptr<CallCenterCore> shared, const auth::TokenStore& tokens,
                          const CallCenterSettings& settings, rpc::HandlerPool& handlers)
      : CoreHolder{std::move(shared)},
        CallCenterService(core->desk, core->hub, tokens, settings, handlers) {}
};

class OwningKeeper final : private CoreHolder, public LiveQueueKeeper {
 public:
  OwningKeeper(std::shared_ptr<CallCenterCore> shared, const CallCenterSettings& settings,
               const clock::Clock& clock)
      : CoreHolder{std::move(shared)},
        LiveQueueKeeper(core->store, core->live, core->metrics, core->hub,
                        settings.live_check_interval, settings.live_sweep_interval, clock) {}
};

}  // namespace

void AddCallCenterSettings(config::Settings& settings) { Settings().Register(settings); }

absl::Status AddCallCenterParts(runtime::ServiceContext& context, runtime::ServiceParts& parts) {
  const CallCenterSettings& settings = Settings();
  if (absl::Status s = settings.Validate(); !s.ok()) {
    return s;
  }
  auto core = std::make_shared<CallCenterCore>(context, settings);
  parts.services.push_back(std::make_unique<OwningCallCenterService>(core, context.tokens(),
                                                                     settings, context.handlers()));
  parts.workers.push_back(std::make_unique<OwningKeeper>(core, settings, context.clock()));
  return absl::OkStatus();
}

}  // namespace hotline::intake
