#include "libs/runtime/service_host.h"

#include <atomic>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "libs/auth/tls.h"
#include "libs/log/log.h"
#include "libs/metrics/exposer.h"
#include "libs/metrics/rpc_interceptor.h"
#include "libs/pg/inbox.h"
#include "libs/pg/outbox_relay.h"
#include "libs/rpc/readiness.h"
#include "libs/rpc/server.h"
#include "libs/rpc/signals.h"
#include "libs/runtime/test_clock_service.h"
#include "libs/status/status.h"
#include "libs/worker/periodic_worker.h"

extern char** environ;

namespace hotline::runtime {
namespace {

constexpr absl::Duration kHousekeepingEvery = absl::Hours(1);

log::Level ParseLevel(const std::string& level) {
  if (level == "debug") {
    return log::Level::kDebug;
  }
  if (level == "warn") {
    return log::Level::kWarning;
  }
  if (level == "error") {
    return log::Level::kError;
  }
  return log::Level::kInfo;
}

// Applies the migrations, retrying with a growing pause while PostgreSQL is
// unreachable, until they are applied or `stop` is notified. A migration that
// fails for another reason (a changed checksum, bad SQL) is retried too, with
// the error logged: the service stays NOT_SERVING, which is what an operator
// needs to see.
bool MigrateUntilApplied(pg::Pool& pool, const std::string& schema,
                         const std::vector<pg::Migration>& migrations, absl::Notification& stop) {
  absl::Duration pause = absl::Milliseconds(200);
  while (!stop.HasBeenNotified()) {
    absl::Status status = pg::Migrate(pool, schema, migrations);
    if (status.ok()) {
      log::Info(schema, "schema ", schema, " is up to date (", migrations.size(),
                " service migrations)");
      return true;
    }
    log::Warn(schema, "migrations not applied yet: ", status.ToString());
    stop.WaitForNotificationWithTimeout(pause);
    pause = std::min(pause * 2, absl::Seconds(5));
  }
  return false;
}

}  // namespace

int RunService(const ServiceDefinition& def, int argc, char** argv) {
  rpc::BlockTerminationSignals();
#ifdef NDEBUG
  // Debian's Abseil checks every Mutex for lock-order cycles (a graph kept per
  // acquisition): about 3% of outage's CPU under load. Debug builds keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  const std::string program = "hotline-" + def.name;

  ServiceSettings settings;
  settings.listen = absl::StrCat("127.0.0.1:", def.default_port);
  settings.metrics_listen = absl::StrCat("127.0.0.1:", def.default_metrics_port);
  config::Settings flags(program, def.summary);
  settings.Register(flags);
  if (def.add_settings) {
    def.add_settings(flags);
  }
  absl::Status parsed = flags.Parse(argc, argv, environ);
  if (parsed.ok() && flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (parsed.ok()) {
    parsed = settings.Validate();
  }
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), std::string(parsed.message()).c_str());
    return 2;
  }
  log::SetMinLevel(ParseLevel(settings.log_level));

  auto fail = [&](absl::string_view what, const absl::Status& status) {
    std::fprintf(stderr, "%s: %s: %s\n", program.c_str(), std::string(what).c_str(),
                 std::string(status.message()).c_str());
    return 1;
  };

  auto tokens = auth::TokenStore::LoadFile(settings.tokens_file);
  if (!tokens.ok()) {
    return fail("tokens file", tokens.status());
  }
  tokens->LimitCallRate({settings.caller_call_rate, settings.caller_call_burst});
  auth::TlsOptions tls{settings.tls_cert, settings.tls_key, settings.tls_client_ca,
                       settings.allow_insecure};
  auto credentials = auth::MakeServerCredentials(tls, settings.listen);
  if (!credentials.ok()) {
    return fail("TLS", credentials.status());
  }

  auto registry = metrics::ProcessRegistry();
  auto exposer = metrics::MetricsExposer::Start(settings.metrics_listen, registry);
  if (!exposer.ok()) {
    return fail("metrics", exposer.status());
  }

  pg::PoolOptions pool_options;
  pool_options.uri = settings.pg_uri;
  pool_options.size = settings.pg_pool_size;
  pool_options.statement_timeout = settings.pg_statement_timeout;
  pool_options.lock_timeout = settings.pg_lock_timeout;
  pg::Pool pool(pool_options);
  // Readiness has a connection of its own: a surge that takes every pooled
  // connection must not make the service look down (and be taken out of
  // rotation with all its replicas).
  pg::PoolOptions probe_options = pool_options;
  probe_options.size = 1;
  probe_options.acquire_timeout = absl::Seconds(2);
  probe_options.statement_timeout = absl::Seconds(2);
  pg::Pool probe_pool(probe_options);
  redis::RedisClient redis(redis::RedisOptions{settings.redis_address, settings.redis_db});
  clock::ShiftedClock test_clock;
  const clock::Clock& clock = settings.test_clock ? test_clock : clock::SystemClock();
  pg::NotificationListener notifications(settings.pg_uri);
  // Declared before the parts, so it outlives the services that use it.
  rpc::HandlerPool handlers({settings.handler_threads, settings.handler_queue});
  ServiceContext context(def.name, settings, pool, redis, *tokens, registry, clock, handlers,
                         notifications);

  auto parts = def.make_parts(context);
  if (!parts.ok()) {
    return fail("start", parts.status());
  }
  if (settings.test_clock) {
    log::Warn(def.name, "--test-clock is set: admins can move this service's clock");
    parts->services.push_back(std::make_unique<TestClockService>(test_clock, *tokens, handlers));
  }
  parts->workers.insert(
      parts->workers.begin(),
      std::make_unique<worker::PeriodicWorker>(
          worker::PeriodicOptions{def.name + ".housekeeping", kHousekeepingEvery,
                                  kHousekeepingEvery},
          [&pool, &settings, schema = def.name]() -> absl::StatusOr<absl::Duration> {
            HOTLINE_RETURN_IF_ERROR(
                pg::PurgeDeliveredOutbox(pool, schema, settings.outbox_keep_delivered).status());
            HOTLINE_RETURN_IF_ERROR(pg::PurgeInbox(pool, schema, settings.inbox_keep).status());
            return kHousekeepingEvery;
          }));

  rpc::ServerOptions server_options;
  server_options.listen_address = settings.listen;
  server_options.credentials = *credentials;
  server_options.max_receive_message_bytes = settings.max_message_bytes;
  server_options.max_send_message_bytes = settings.max_message_bytes;
  server_options.drain_timeout = settings.drain_timeout;
  server_options.interceptors.push_back(metrics::MakeRpcMetricsInterceptorFactory(registry));
  std::vector<grpc::Service*> services;
  for (auto& service : parts->services) {
    services.push_back(service.get());
  }
  auto server = rpc::RpcServer::Start(std::move(server_options), services);
  if (!server.ok()) {
    return fail("gRPC server", server.status());
  }
  log::Info(def.name, program, " listening on ", settings.listen, " (port ", (*server)->port(),
            "), metrics on ", settings.metrics_listen);

  // Migrations and readiness run beside the signal wait, so a SIGTERM during
  // a long PostgreSQL outage still stops the process promptly.
  absl::Notification stopping;
  std::atomic<bool> migrated{false};
  std::unique_ptr<rpc::ReadinessWatcher> readiness;
  std::thread starter([&] {
    static const std::vector<pg::Migration> kNone;
    if (!MigrateUntilApplied(pool, def.name, def.migrations ? *def.migrations : kNone, stopping)) {
      return;
    }
    notifications.Start();
    for (auto& worker : parts->workers) {
      worker->Start();
    }
    migrated = true;
  });
  std::vector<std::pair<std::string, std::function<absl::Status()>>> probes = {
      {"migrations",
       [&] {
         return migrated ? absl::OkStatus() : absl::UnavailableError("schema not migrated yet");
       }},
      {"postgresql", [&] { return probe_pool.Ping(); }},
      {"redis", [&] { return redis.Ping(); }},
  };
  probes.insert(probes.end(), parts->readiness.begin(), parts->readiness.end());
  readiness = std::make_unique<rpc::ReadinessWatcher>(**server, std::move(probes));

  rpc::WaitForTerminationSignal();
  log::Info(def.name, "stopping: draining calls for up to ",
            absl::FormatDuration(settings.drain_timeout));
  stopping.Notify();
  readiness.reset();
  if (migrated) {
    for (auto& worker : parts->workers) {
      worker->Drain();
    }
  }
  (*server)->Shutdown();
  starter.join();
  if (migrated) {
    notifications.Stop();
    for (auto& worker : parts->workers) {
      worker->Stop();
    }
  }
  log::Info(def.name, "stopped");
  return 0;
}

}  // namespace hotline::runtime
