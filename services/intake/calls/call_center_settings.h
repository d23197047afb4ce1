#pragma once

// The call centre's settings (flags or HOTLINE_* variables of
// hotline-intake), with the hotline's defaults from domain.md.

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"
#include "services/intake/calls/domain/call_stats.h"

namespace hotline::intake {

struct CallCenterSettings {
  // --calls-ring-threshold: a call counts as answered in time when it rang at
  // most this long (3 rings or 9 seconds).
  absl::Duration ring_threshold = absl::Seconds(9);
  // --calls-mute-limit: one use of mute should last at most this long.
  absl::Duration mute_limit = absl::Seconds(30);
  // --calls-redis-prefix: every live-queue key starts with it.
  std::string redis_prefix = "hotline:calls";
  // --calls-watch-interval: WatchLiveQueue sends at least this often.
  absl::Duration watch_interval = absl::Seconds(5);
  // --calls-live-check-interval: how often the live queue is checked (and
  // rebuilt from PostgreSQL when Redis lost it) and the gauges refreshed.
  absl::Duration live_check_interval = absl::Seconds(1);
  // --calls-live-sweep-interval: how often Redis is compared with PostgreSQL
  // (and rebuilt when they differ).
  absl::Duration live_sweep_interval = absl::Seconds(30);
  // --calls-max-batch: the most events in one StreamCallEvents message.
  int max_batch = 1000;
  // --calls-max-clock-skew: how far ahead of the server's clock a call
  // event's or agent change's time may be.
  absl::Duration max_clock_skew = absl::Minutes(5);
  // --calls-metric-queues: the queues that get a label of their own on call
  // metrics (comma-separated); calls of other queues count as "other".
  std::string metric_queues = "repair,general,outage,billing,complaint,consultation";

  // The queues of --calls-metric-queues (Validate first).
  std::set<std::string> MetricQueues() const;

  void Register(config::Settings& settings);
  // INVALID_ARGUMENT naming the setting and the rule.
  absl::Status Validate() const;
  CallStatsRules StatsRules() const;
};

}  // namespace hotline::intake
