#pragma once

// The settings every hotline service takes (listen addresses, PostgreSQL,
// Redis, tokens, TLS), registered on a config::Settings so they come from
// flags or HOTLINE_* variables. A service adds its own next to them.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/config/settings.h"

namespace hotline::runtime {

struct ServiceSettings {
  std::string listen;          // gRPC address, e.g. 127.0.0.1:50051
  std::string metrics_listen;  // Prometheus /metrics address, e.g. 127.0.0.1:9101
  std::string pg_uri = "postgresql://hotline@127.0.0.1:5432/hotline";
  int pg_pool_size = 8;
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

  // Registers every field on `settings` under its kebab-case name.
  void Register(config::Settings& settings);

  // Rules that involve more than one field, or required ones.
  absl::Status Validate() const;
};

}  // namespace hotline::runtime
