#include "services/intake/calls/call_center_settings.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hotline::intake {
namespace {

absl::Status RequireWholeSeconds(absl::string_view name, absl::Duration d, absl::Duration min,
                                 absl::Duration max) {
  if (d < min || d > max || d != absl::Seconds(absl::ToInt64Seconds(d))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setting --", name, ": ", absl::FormatDuration(d), " must be whole seconds in [",
        absl::FormatDuration(min), ", ", absl::FormatDuration(max), "]"));
  }
  return absl::OkStatus();
}

absl::Status RequireRange(absl::string_view name, absl::Duration d, absl::Duration min,
                          absl::Duration max) {
  if (d < min || d > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --", name, ": ", absl::FormatDuration(d), " must lie in [",
                     absl::FormatDuration(min), ", ", absl::FormatDuration(max), "]"));
  }
  return absl::OkStatus();
}

}  // namespace

void CallCenterSettings::Register(config::Settings& settings) {
  settings.AddDuration("calls-ring-threshold", &ring_threshold,
                       "a call is answered in time if it rang at most this long (whole seconds)");
  settings.AddDuration("calls-mute-limit", &mute_limit,
                       "one use of mute should last at most this long (whole seconds)");
  settings.AddString("calls-redis-prefix", &redis_prefix,
                     "prefix of the live call-queue keys in Redis");
  settings.AddDuration("calls-watch-interval", &watch_interval,
                       "WatchLiveQueue sends the live queue at least this often");
  settings.AddDuration("calls-live-check-interval", &live_check_interval,
                       "how often the live queue is checked, rebuilt from PostgreSQL when "
                       "Redis lost it, and the gauges refreshed");
  settings.AddDuration("calls-live-sweep-interval", &live_sweep_interval,
                       "how often the live queue in Redis is compared with PostgreSQL and "
                       "rebuilt when they differ");
  settings.AddInt("calls-max-batch", &max_batch, "the most events in one StreamCallEvents batch", 1,
                  100000);
  settings.AddDuration("calls-max-clock-skew", &max_clock_skew,
                       "how far ahead of the server's clock a call event or agent change may be "
                       "dated; later ones are refused");
  settings.AddString("calls-metric-queues", &metric_queues,
                     "queues with a label of their own on call metrics (comma-separated); calls "
                     "of other queues count under queue=\"other\"");
}

std::set<std::string> CallCenterSettings::MetricQueues() const {
  std::set<std::string> queues;
  for (absl::string_view queue : absl::StrSplit(metric_queues, ',', absl::SkipWhitespace())) {
    queues.insert(std::string(absl::StripAsciiWhitespace(queue)));
  }
  return queues;
}

absl::Status CallCenterSettings::Validate() const {
  if (absl::Status s = RequireWholeSeconds("calls-ring-threshold", ring_threshold,
                                           absl::ZeroDuration(), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          RequireWholeSeconds("calls-mute-limit", mute_limit, absl::ZeroDuration(), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (redis_prefix.empty() || absl::StrContains(redis_prefix, "{") ||
      absl::StrContains(redis_prefix, "}") || absl::StrContains(redis_prefix, " ")) {
    return absl::InvalidArgumentError(
        "setting --calls-redis-prefix: must be non-empty, without spaces or braces");
  }
  if (absl::Status s = RequireRange("calls-watch-interval", watch_interval, absl::Milliseconds(100),
                                    absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RequireRange("calls-max-clock-skew", max_clock_skew, absl::ZeroDuration(),
                                    absl::Hours(24));
      !s.ok()) {
    return s;
  }
  if (MetricQueues().size() > 100) {
    return absl::InvalidArgumentError("setting --calls-metric-queues: at most 100 queues");
  }
  if (absl::Status s = RequireRange("calls-live-sweep-interval", live_sweep_interval,
                                    absl::Milliseconds(100), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  return RequireRange("calls-live-check-interval", live_check_interval, absl::Milliseconds(50),
                      absl::Minutes(1));
}

CallStatsRules CallCenterSettings::StatsRules() const {
  CallStatsRules rules;
  rules.ring_threshold_seconds = static_cast<int>(absl::ToInt64Seconds(ring_threshold));
  rules.mute_limit_seconds = static_cast<int>(absl::ToInt64Seconds(mute_limit));
  return rules;
}

}  // namespace hotline::intake
