#include "services/sla/sla_parts.h"

#include "absl/strings/str_cat.h"
#include "libs/config/settings.h"
#include "libs/events/event_sink_service.h"
#include "libs/rpc/wake_feed.h"
#include "libs/status/status.h"
#include "services/sla/api/sla_tracker_service.h"
#include "services/sla/desk/clock_desk.h"
#include "services/sla/desk/clock_timer.h"
#include "services/sla/desk/sla_metrics.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/policy.h"

namespace hotline::sla {
namespace {

// The topics whose events start and stop clocks (clock_commands.h).
constexpr const char* kTopics[] = {"ticket.created", "ticket.cancelled",    "order.dispatched",
                                   "order.accepted", "order.progress",      "order.resolved",
                                   "order.returned", "order.not_dispatched"};

// What is seeded at start: the policies and, when a file is given, a year's days.
struct Seed {
  std::vector<v1::Policy> policies;
  std::string policies_by;
  std::optional<v1::Calendar> days;
  std::string days_note;
};

absl::StatusOr<Seed> LoadSeed(const SlaSettings& settings) {
  Seed seed;
  if (settings.policy_file.empty()) {
    seed.policies = DefaultPolicies();
    seed.policies_by = "default";
  } else {
    HOTLINE_ASSIGN_OR_RETURN(std::string text,
                             config::ReadSettingFile(settings.policy_file, "policy-file"));
    absl::StatusOr<std::vector<v1::Policy>> parsed = ParsePolicyFile(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setting --policy-file: ", settings.policy_file, ": ", parsed.status().message()));
    }
    seed.policies = std::move(*parsed);
    seed.policies_by = "file";
  }
  if (!settings.calendar_file.empty()) {
    HOTLINE_ASSIGN_OR_RETURN(std::string text,
                             config::ReadSettingFile(settings.calendar_file, "calendar-file"));
    absl::StatusOr<v1::Calendar> days = ParseCalendarFile(text, settings.calendar_region);
    absl::Status checked =
        days.ok() ? CalendarFromProto(*days, settings.Zone()).status() : days.status();
    if (!checked.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "setting --calendar-file: ", settings.calendar_file, ": ", checked.message()));
    }
    seed.days = std::move(*days);
    seed.days_note = settings.calendar_file;
  }
  return seed;
}

// Owns what the gRPC services share, and runs the timer.
class SlaCore final : public runtime::BackgroundWorker {
 public:
  SlaCore(runtime::ServiceContext& context, const SlaSettings& settings, Seed seed)
      : seed_(std::move(seed)),
        metrics_(*context.metrics()),
        desk_(context.pool(), settings, context.clock(), metrics_),
        timer_(context.pool(), desk_, metrics_, feed_, context.clock(), settings.timer_interval,
               settings.timer_batch, [this] {
                 return desk_.Seed(seed_.policies, seed_.policies_by, seed_.days, seed_.days_note);
               }) {
    // Actions fired by any replica wake this replica's WatchEvents streams.
    context.notifications().Listen(kActionsChannel, [this](const std::string&) { feed_.Wake(); });
    // A rule or calendar changed on any replica: read them afresh.
    context.notifications().Listen(kRulesChannel,
                                   [this](const std::string&) { desk_.ForgetRules(); });
  }

  void Start() override { timer_.Start(); }
  void Stop() override { timer_.Stop(); }

  ClockDesk& desk() { return desk_; }
  rpc::WakeFeed& feed() { return feed_; }

 private:
  const Seed seed_;
  SlaMetrics metrics_;
  rpc::WakeFeed feed_;
  ClockDesk desk_;
  ClockTimer timer_;
};

}  // namespace

absl::Status AddSlaParts(runtime::ServiceContext& context, const SlaSettings& settings,
                         runtime::ServiceParts& parts) {
  HOTLINE_RETURN_IF_ERROR(settings.Validate());
  HOTLINE_ASSIGN_OR_RETURN(Seed seed, LoadSeed(settings));
  auto core = std::make_unique<SlaCore>(context, settings, std::move(seed));
  ClockDesk& desk = core->desk();

  parts.services.push_back(std::make_unique<SlaTrackerService>(
      desk, context.pool(), core->feed(), context.tokens(), settings, context.handlers()));

  auto sink = std::make_unique<events::EventSinkService>(context.pool(), context.schema(),
                                                         context.tokens(), context.handlers());
  for (const char* topic : kTopics) {
    sink->Subscribe(topic, [&desk](pqxx::work& tx, const common::v1::Event& event) {
      return desk.ApplyEvent(tx, event);
    });
  }
  parts.services.push_back(std::move(sink));

  HOTLINE_ASSIGN_OR_RETURN(std::unique_ptr<runtime::BackgroundWorker> relay,
                           context.MakeOutboxWorker({"intake"}));
  parts.workers.push_back(std::move(core));
  parts.workers.push_back(std::move(relay));
  return absl::OkStatus();
}

}  // namespace hotline::sla
