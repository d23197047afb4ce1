#pragma once

// The settings every hotline service takes (listen addresses, PostgreSQL,
// Redis, tokens, TLS), registered on a config::Settings so they come from
// flags or HOTLINE_* variables. A service adds its own next to them.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"
#include "libs/pg/outbox_relay.h"

namespace hotline::runtime {

struct ServiceSettings {
  std::string listen;          // gRPC address, e.g. 127.0.0.1:50051
  std::string metrics_listen;  // Prometheus /metrics address, e.g. 127.0.0.1:9101
  std::string pg_uri = "postgresql://hotline@127.0.0.1:5432/hotline";
  int pg_pool_size = 8;
  absl::Duration pg_statement_timeout = absl::Seconds(30);
  absl::Duration pg_lock_timeout = absl::Seconds(10);
  // Threads that run handlers' blocking work, and calls that may wait for
  // one before new calls get RESOURCE_EXHAUSTED (libs/rpc/handler_pool.h).
  int handler_threads = 16;
  int handler_queue = 256;
  int caller_call_rate = 1000;
  int caller_call_burst = 2000;
  std::string redis_address = "127.0.0.1:6379";
  int redis_db = 0;
  std::string tokens_file;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  bool allow_insecure = false;
  int max_message_bytes = 4 << 20;
  absl::Duration drain_timeout = absl::Seconds(10);
  std::string log_level = "info";
  // Exposes hotline.common.v1.TestClock (admin only) to set and advance the
  // service's clock; for end-to-end tests and QA, never in production.
  bool test_clock = false;

  // Outbox relay (--outbox-*, its defaults: libs/pg/outbox_relay.h; the
  // destinations are the service's own) and inbox.
  pg::RelayOptions outbox;
  absl::Duration event_send_timeout = absl::Seconds(5);
  absl::Duration outbox_keep_delivered = absl::Hours(24 * 7);
  absl::Duration inbox_keep = absl::Hours(24 * 7);

  // The other services, for calls and event delivery.
  std::string intake_address = "127.0.0.1:50051";
  std::string dispatch_address = "127.0.0.1:50052";
  std::string sla_address = "127.0.0.1:50053";
  std::string outage_address = "127.0.0.1:50054";
  std::string survey_address = "127.0.0.1:50055";
  // A file holding this service's own bearer token (role `service`), sent on
  // calls to the other services.
  std::string service_token_file;
  // TLS towards the other services: CA to verify them; certificate and key
  // when they require client certificates.
  std::string peer_tls_ca;
  std::string peer_tls_cert;
  std::string peer_tls_key;

  // The address configured for a peer service by name ("dispatch"), or "".
  std::string PeerAddress(absl::string_view name) const;

  // Registers every field on `settings` under its kebab-case name.
  void Register(config::Settings& settings);

  // Rules that involve more than one field, or required ones.
  absl::Status Validate() const;
};

}  // namespace hotline::runtime
