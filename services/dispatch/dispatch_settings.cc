#include "services/dispatch/dispatch_settings.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hotline::dispatch {
namespace {

absl::Status Positive(absl::string_view name, absl::Duration value) {
  if (value <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setting --", name, ": must be more than 0 (got ", absl::FormatDuration(value), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

void DispatchSettings::Register(config::Settings& s) {
  s.AddDuration("order-lease", &order_lease,
                "how long a branch system has to acknowledge a delivered order before it is "
                "delivered again");
  s.AddInt("max-reroutes", &max_reroutes,
           "returns rerouted to another branch; a further return goes to a dispatcher", 0, 20);
  s.AddString("customer-owned-advice", &customer_owned_advice,
              "what a customer with a fault on their own equipment is told (order.not_dispatched)");
  s.AddString("event-destinations", &event_destinations,
              "services that receive order events, comma-separated");
  s.AddDuration("arrival-limit-urban", &arrival_limit_urban,
                "arrival limit of urban branches that set none");
  s.AddDuration("arrival-limit-rural", &arrival_limit_rural,
                "arrival limit of rural branches that set none");
  s.AddDuration("arrival-limit-remote", &arrival_limit_remote,
                "arrival limit of remote branches that set none");
  s.AddDuration("pull-poll-interval", &pull_poll_interval,
                "how often an open pull looks for orders besides being woken");
  s.AddDuration("queue-sweep-interval", &queue_sweep_interval,
                "how often the Redis order queues are reconciled with PostgreSQL");
  s.AddDuration("poll-max-wait", &poll_max_wait, "the longest PollOrders waits");
  s.AddInt("pull-max-outstanding", &pull_max_outstanding,
           "unacknowledged orders leased to one puller at once (default of the request)", 1, 1000);
  s.AddDuration("report-clock-skew", &report_clock_skew,
                "how far a reported progress time may lie in the future");
  s.AddString("order-number-time-zone", &order_number_time_zone,
              "time zone of the date in order numbers");
}

absl::Status DispatchSettings::Validate() const {
  for (const auto& [name, value] : std::vector<std::pair<absl::string_view, absl::Duration>>{
           {"order-lease", order_lease},
           {"arrival-limit-urban", arrival_limit_urban},
           {"arrival-limit-rural", arrival_limit_rural},
           {"arrival-limit-remote", arrival_limit_remote},
           {"pull-poll-interval", pull_poll_interval},
           {"queue-sweep-interval", queue_sweep_interval},
           {"poll-max-wait", poll_max_wait},
           {"report-clock-skew", report_clock_skew}}) {
    if (absl::Status s = Positive(name, value); !s.ok()) {
      return s;
    }
  }
  if (absl::StripAsciiWhitespace(customer_owned_advice).empty()) {
    return absl::InvalidArgumentError("setting --customer-owned-advice: must not be empty");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(order_number_time_zone, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setting --order-number-time-zone: unknown time zone '", order_number_time_zone, "'"));
  }
  for (const std::string& name : Destinations()) {
    if (name != "intake" && name != "sla" && name != "outage" && name != "survey") {
      return absl::InvalidArgumentError(absl::StrCat("setting --event-destinations: '", name,
                                                     "' is not intake, sla, outage or survey"));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> DispatchSettings::Destinations() const {
  std::vector<std::string> names;
  for (absl::string_view part : absl::StrSplit(event_destinations, ',', absl::SkipWhitespace())) {
    names.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return names;
}

}  // namespace hotline::dispatch
