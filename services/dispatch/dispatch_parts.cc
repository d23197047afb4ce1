#include "services/dispatch/dispatch_parts.h"

#include "libs/events/event_sink_service.h"
#include "libs/status/status.h"
#include "services/dispatch/api/branch_orders_service.h"
#include "services/dispatch/api/dispatch_service.h"
#include "services/dispatch/desk/dispatch_metrics.h"
#include "services/dispatch/desk/order_desk.h"
#include "services/dispatch/desk/pull_hub.h"
#include "services/dispatch/desk/queue_keeper.h"
#include "services/dispatch/store/order_queue.h"

namespace hotline::dispatch {
namespace {

// Owns what the gRPC services share, and runs the hub and the keeper. The
// parts' workers are destroyed after the server stops, before the services.
class DispatchCore final : public runtime::BackgroundWorker {
 public:
  DispatchCore(runtime::ServiceContext& context, const DispatchSettings& settings,
               absl::TimeZone zone)
      : queue_(context.redis()),
        metrics_(*context.metrics()),
        hub_(context.pool(), queue_, HubOptions(settings), context.clock()),
        desk_(context.pool(), queue_, metrics_, DeskOptionsOf(settings, zone), context.clock(),
              [this](const std::string& branch) { hub_.Wake(branch); }),
        keeper_(context.pool(), queue_, metrics_, settings.queue_sweep_interval,
                [this](const std::string& branch) { hub_.Wake(branch); }) {
    // Orders committed by any replica wake this replica's pulls.
    context.notifications().Listen(
        kOrdersChannel, [this](const std::string& branch) { hub_.WakeFromDatabase(branch); });
  }

  void Start() override {
    hub_.Start();
    keeper_.Start();
  }
  void Stop() override {
    keeper_.Stop();
    hub_.Stop();
  }
  void Drain() override { hub_.Drain(); }

  OrderDesk& desk() { return desk_; }
  PullHub& hub() { return hub_; }

 private:
  static PullOptions HubOptions(const DispatchSettings& s) {
    PullOptions o;
    o.lease = s.order_lease;
    o.poll_interval = s.pull_poll_interval;
    return o;
  }
  static DeskOptions DeskOptionsOf(const DispatchSettings& s, absl::TimeZone zone) {
    DeskOptions o;
    o.destinations = s.Destinations();
    o.routing.customer_owned_advice = s.customer_owned_advice;
    o.routing.max_reroutes = s.max_reroutes;
    o.progress.clock_skew = s.report_clock_skew;
    o.number_zone = zone;
    return o;
  }

  OrderQueue queue_;
  DispatchMetrics metrics_;
  PullHub hub_;
  OrderDesk desk_;
  QueueKeeper keeper_;
};

}  // namespace

absl::Status AddDispatchParts(runtime::ServiceContext& context, const DispatchSettings& settings,
                              runtime::ServiceParts& parts) {
  HOTLINE_RETURN_IF_ERROR(settings.Validate());
  absl::TimeZone zone;
  absl::LoadTimeZone(settings.order_number_time_zone, &zone);

  auto core = std::make_unique<DispatchCore>(context, settings, zone);
  OrderDesk& desk = core->desk();

  ArrivalLimits limits;
  limits.urban = settings.arrival_limit_urban;
  limits.rural = settings.arrival_limit_rural;
  limits.remote = settings.arrival_limit_remote;
  parts.services.push_back(std::make_unique<DispatchService>(context.pool(), context.tokens(), desk,
                                                             limits, context.handlers()));
  PullLimits pull;
  pull.max_outstanding = settings.pull_max_outstanding;
  pull.poll_max_wait = settings.poll_max_wait;
  parts.services.push_back(std::make_unique<BranchOrdersService>(
      context.tokens(), desk, core->hub(), pull, context.handlers(), context.clock()));

  auto sink = std::make_unique<events::EventSinkService>(context.pool(), context.schema(),
                                                         context.tokens(), context.handlers());
  SubscribeOrderDesk(*sink, desk);
  parts.services.push_back(std::move(sink));

  HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<runtime::BackgroundWorker> relay,
                           context.MakeOutboxWorker(settings.Destinations()));
  parts.workers.push_back(std::move(core));
  parts.workers.push_back(std::move(relay));
  return absl::OkStatus();
}

}  // namespace hotline::dispatch
