#pragma once

// The outbox relay of a service as one background worker: a pg::OutboxRelay
// with one lane per destination, sending through events::PeerDeliverer,
// woken by the outbox's NOTIFY channel, and reporting
//   hotline_outbox_delivered_total{destination}
//   hotline_outbox_failures_total{destination}
//   hotline_outbox_pending{destination}
//   hotline_outbox_oldest_pending_seconds{destination}
// (the last two read every few seconds).

#include <memory>
#include <string>
#include <vector>

#include "libs/events/delivery.h"
#include "libs/pg/notifications.h"
#include "libs/pg/outbox_relay.h"
#include "libs/worker/periodic_worker.h"
#include "prometheus/registry.h"

namespace hotline::runtime {

class OutboxWorker final : public worker::BackgroundWorker, private pg::RelayObserver {
 public:
  // Subscribes to `listener` (which must be started after this is built).
  OutboxWorker(pg::Pool& pool, const std::string& schema,
               std::unique_ptr<events::PeerDeliverer> deliverer, pg::RelayOptions options,
               pg::NotificationListener& listener, prometheus::Registry& registry);
  ~OutboxWorker() override;

  void Start() override;
  void Stop() override;

 private:
  void Delivered(const std::string& destination, int count) override;
  void Failed(const std::string& destination, int count) override;
  absl::Status ReadBacklog();

  pg::Pool& pool_;
  const std::string schema_;
  const std::vector<std::string> destinations_;
  std::unique_ptr<events::PeerDeliverer> deliverer_;
  prometheus::Family<prometheus::Counter>& delivered_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Family<prometheus::Gauge>& pending_;
  prometheus::Family<prometheus::Gauge>& oldest_;
  pg::OutboxRelay relay_;
  worker::PeriodicWorker backlog_;
};

}  // namespace hotline::runtime
