#include "libs/runtime/outbox_worker.h"

#include "libs/metrics/registry.h"
#include "libs/status/status.h"

namespace hotline::runtime {
namespace {

constexpr absl::Duration kBacklogEvery = absl::Seconds(5);

}  // namespace

OutboxWorker::OutboxWorker(pg::Pool& pool, const std::string& schema,
                           std::unique_ptr<events::PeerDeliverer> deliverer,
                           pg::RelayOptions options, pg::NotificationListener& listener,
                           prometheus::Registry& registry)
    : pool_(pool),
      schema_(schema),
      destinations_(options.destinations),
      deliverer_(std::move(deliverer)),
      delivered_(metrics::CounterFamily("hotline_outbox_delivered_total",
                                        "Events delivered to another service, by destination.",
                                        registry)),
      failures_(metrics::CounterFamily(
          "hotline_outbox_failures_total",
          "Event deliveries that failed (destination unreachable or event refused), by "
          "destination; each is retried.",
          registry)),
      pending_(metrics::GaugeFamily("hotline_outbox_pending",
                                    "Events not yet delivered, by destination.", registry)),
      oldest_(metrics::GaugeFamily(
          "hotline_outbox_oldest_pending_seconds",
          "Age of the oldest event not yet delivered, by destination (0 when none).", registry)),
      relay_(
          pool, schema,
          [this](const std::string& destination, const std::vector<pg::OutboxEvent>& batch) {
            return deliverer_->Deliver(destination, batch);
          },
          std::move(options), this),
      backlog_({"outbox backlog " + schema, kBacklogEvery, absl::Minutes(1)},
               [this]() -> absl::StatusOr<absl::Duration> {
                 HOTLINE_RETURN_IF_ERROR(ReadBacklog());
                 return kBacklogEvery;
               }) {
  for (const std::string& destination : destinations_) {
    delivered_.Add({{"destination", destination}});
    failures_.Add({{"destination", destination}});
    pending_.Add({{"destination", destination}});
    oldest_.Add({{"destination", destination}});
  }
  listener.Listen(pg::OutboxChannel(schema), [this](const std::string& destination) {
    if (destination.empty()) {
      relay_.Wake();
    } else {
      relay_.Wake(destination);
    }
  });
}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  relay_.Start();
  backlog_.Start();
}

void OutboxWorker::Stop() {
  backlog_.Stop();
  relay_.Stop();
}

void OutboxWorker::Delivered(const std::string& destination, int count) {
  delivered_.Add({{"destination", destination}}).Increment(count);
}

void OutboxWorker::Failed(const std::string& destination, int count) {
  failures_.Add({{"destination", destination}}).Increment(count);
}

absl::Status OutboxWorker::ReadBacklog() {
  HOTLINE_ASSIGN_OR_RETURN(auto backlog, pg::ReadOutboxBacklog(pool_, schema_));
  for (const std::string& destination : destinations_) {
    auto it = backlog.find(destination);
    bool any = it != backlog.end();
    pending_.Add({{"destination", destination}})
        .Set(any ? static_cast<double>(it->second.pending) : 0);
    oldest_.Add({{"destination", destination}})
        .Set(any ? absl::ToDoubleSeconds(it->second.oldest_age) : 0);
  }
  return absl::OkStatus();
}

}  // namespace hotline::runtime
