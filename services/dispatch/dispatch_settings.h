#pragma once

// The dispatch service's own settings (beside the common ones of
// libs/runtime/service_settings.h), as flags or HOTLINE_* variables.
// `hotline-dispatch --help` lists them with their defaults.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"

namespace hotline::dispatch {

struct DispatchSettings {
  // How long a branch system has to acknowledge a delivered order before it
  // is delivered again.
  absl::Duration order_lease = absl::Seconds(60);
  // Returns that are rerouted to another branch; a further return goes to a
  // dispatcher instead of bouncing.
  int max_reroutes = 2;
  // What a caller with a fault on their own equipment is told.
  std::string customer_owned_advice =
      "The fault is on equipment you own, which is not the power company's to repair: please "
      "call a qualified electrician. We can repair it as a paid service if you ask us to.";
  // The services that receive order events, comma-separated: intake moves
  // the ticket, sla runs its deadline clocks (survey joins later).
  std::string event_destinations = "intake,sla";
  // Arrival limits of branches that give none, by area class.
  absl::Duration arrival_limit_urban = absl::Minutes(45);
  absl::Duration arrival_limit_rural = absl::Minutes(90);
  absl::Duration arrival_limit_remote = absl::Minutes(120);
  // How often an open pull looks for orders besides being woken (new
  // orders of other replicas, expired leases).
  absl::Duration pull_poll_interval = absl::Seconds(1);
  // How often the Redis queues are reconciled with PostgreSQL (lost pushes,
  // a flushed Redis) and the pending gauge is refreshed.
  absl::Duration queue_sweep_interval = absl::Seconds(5);
  // The longest PollOrders waits.
  absl::Duration poll_max_wait = absl::Seconds(30);
  // Unacknowledged orders leased to one puller at once, unless it asks fewer.
  int pull_max_outstanding = 50;
  // How far a reported progress time may lie in the future.
  absl::Duration report_clock_skew = absl::Minutes(2);
  // The time zone of the date in order numbers (PD-YYYYMMDD-NNNNNN).
  std::string order_number_time_zone = "Asia/Shanghai";

  void Register(config::Settings& settings);
  // Rules beyond each value's type; INVALID_ARGUMENT naming the setting.
  absl::Status Validate() const;
  std::vector<std::string> Destinations() const;
};

}  // namespace hotline::dispatch
