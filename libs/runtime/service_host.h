#pragma once

// Runs one hotline service process: the wiring every service shares, so each
// services/<svc>/main.cc stays a few lines.
//
// RunService(definition, argc, argv):
//   1. reads the settings (common ones plus the service's own) from flags and
//      HOTLINE_* variables; --help prints them; a bad one stops the start
//      with a message naming it (exit 2);
//   2. loads the token file, builds TLS credentials, the PostgreSQL pool, the
//      Redis client and the Prometheus exposer;
//   3. asks the definition for its gRPC services and background workers and
//      starts serving at once, with health NOT_SERVING (with --test-clock it
//      adds hotline.common.v1.TestClock);
//   4. applies the service's migrations (retrying while PostgreSQL is away),
//      starts the notification listener, the workers and the housekeeping
//      (outbox and inbox purges), and turns health SERVING while PostgreSQL
//      and Redis answer;
//   5. on SIGTERM or SIGINT: health NOT_SERVING, the workers end their
//      streams (BackgroundWorker::Drain: clients reconnect and resume), the
//      server drains in-flight calls (new ones refused), the workers stop,
//      exit 0.

#include <grpcpp/channel.h>
#include <grpcpp/impl/codegen/service_type.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/auth/token_store.h"
#include "libs/clock/clock.h"
#include "libs/config/settings.h"
#include "libs/pg/migrations.h"
#include "libs/pg/notifications.h"
#include "libs/pg/pool.h"
#include "libs/redis/redis_client.h"
#include "libs/rpc/handler_pool.h"
#include "libs/runtime/service_settings.h"
#include "libs/worker/background_worker.h"
#include "prometheus/registry.h"

namespace hotline::runtime {

using worker::BackgroundWorker;

// What a service gets to build its parts. Outlives the parts. Not
// thread-safe: use it from make_parts (channels it hands out are).
class ServiceContext {
 public:
  ServiceContext(std::string schema, const ServiceSettings& settings, pg::Pool& pool,
                 redis::RedisClient& redis, const auth::TokenStore& tokens,
                 std::shared_ptr<prometheus::Registry> metrics, const clock::Clock& clock,
                 rpc::HandlerPool& handlers, pg::NotificationListener& notifications)
      : schema_(std::move(schema)),
        settings_(settings),
        pool_(pool),
        redis_(redis),
        tokens_(tokens),
        metrics_(std::move(metrics)),
        clock_(clock),
        handlers_(handlers),
        notifications_(notifications) {}

  const std::string& schema() const { return schema_; }
  const ServiceSettings& settings() const { return settings_; }
  pg::Pool& pool() { return pool_; }
  redis::RedisClient& redis() { return redis_; }
  const auth::TokenStore& tokens() const { return tokens_; }
  const std::shared_ptr<prometheus::Registry>& metrics() const { return metrics_; }
  // The service's one clock: the machine's, or a test clock (--test-clock).
  const clock::Clock& clock() const { return clock_; }
  // Where handlers run blocking work (rpc::Answer).
  rpc::HandlerPool& handlers() { return handlers_; }
  // PostgreSQL notifications: Listen() while making the parts; the listener
  // starts with the workers.
  pg::NotificationListener& notifications() { return notifications_; }

  // A channel to another service ("dispatch"), at its configured address,
  // with the peer TLS settings and the retry policy of rpc::MakeChannel.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannel(const std::string& name);

  // This service's own bearer token (from --service-token-file), for calls
  // to the other services. INVALID_ARGUMENT naming the setting when unset or
  // unreadable.
  absl::StatusOr<std::string> ServiceToken() const;

  // A worker that relays this service's outbox to the EventSink of each
  // destination (runtime/outbox_worker.h), with the --outbox-* settings.
  // Fails when a destination has no address or the service token is
  // missing, so a misconfigured service does not start.
  absl::StatusOr<std::unique_ptr<BackgroundWorker>> MakeOutboxWorker(
      const std::vector<std::string>& destinations);

 private:
  std::string schema_;
  const ServiceSettings& settings_;
  pg::Pool& pool_;
  redis::RedisClient& redis_;
  const auth::TokenStore& tokens_;
  std::shared_ptr<prometheus::Registry> metrics_;
  const clock::Clock& clock_;
  rpc::HandlerPool& handlers_;
  pg::NotificationListener& notifications_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> peers_;
};

struct ServiceParts {
  std::vector<std::unique_ptr<grpc::Service>> services;
  std::vector<std::unique_ptr<BackgroundWorker>> workers;
  // The service's own conditions for SERVING, beside the schema, PostgreSQL
  // and Redis (e.g. outage's address index loaded): a name and a probe that
  // says why not. Probes run on the readiness thread; they must be cheap.
  std::vector<std::pair<std::string, std::function<absl::Status()>>> readiness;
};

struct ServiceDefinition {
  std::string name;     // "intake": the binary is hotline-intake, the schema intake
  std::string summary;  // one line for --help
  int default_port = 0;
  int default_metrics_port = 0;
  const std::vector<pg::Migration>* migrations = nullptr;
  // Optional: registers the service's own settings (targets must outlive RunService).
  std::function<void(config::Settings&)> add_settings;
  std::function<absl::StatusOr<ServiceParts>(ServiceContext&)> make_parts;
};

// Returns the process exit code.
int RunService(const ServiceDefinition& definition, int argc, char** argv);

}  // namespace hotline::runtime
