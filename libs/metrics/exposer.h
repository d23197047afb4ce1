#pragma once

// Serves a Prometheus registry over HTTP at /metrics (text format 0.0.4) for
// Prometheus to scrape.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/metrics/registry.h"

namespace prometheus {
class Exposer;
}  // namespace prometheus

namespace hotline::metrics {

class MetricsExposer {
 public:
  // Listens on `bind_address` ("127.0.0.1:9101", "0.0.0.0:9101"; port 0 picks
  // a free port) and serves `registry` at /metrics from a small thread pool.
  // Errors: UNAVAILABLE if the address cannot be bound (port taken, unknown
  // host), INVALID_ARGUMENT if it is not host:port.
  static absl::StatusOr<std::unique_ptr<MetricsExposer>> Start(
      absl::string_view bind_address,
      std::shared_ptr<prometheus::Registry> registry = ProcessRegistry());

  // Stops serving; takes about two seconds (the HTTP server's poll interval),
  // so tests start one per binary, not one per test.
  ~MetricsExposer();

  MetricsExposer(const MetricsExposer&) = delete;
  MetricsExposer& operator=(const MetricsExposer&) = delete;

  // The port actually bound (the chosen one when asked for port 0).
  int port() const { return port_; }

 private:
  MetricsExposer(std::unique_ptr<prometheus::Exposer> exposer,
                 std::shared_ptr<prometheus::Registry> registry, int port);

  std::shared_ptr<prometheus::Registry> registry_;  // Kept alive while served.
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace hotline::metrics
