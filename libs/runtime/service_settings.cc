#include "libs/runtime/service_settings.h"

#include "absl/strings/str_cat.h"

namespace hotline::runtime {

void ServiceSettings::Register(config::Settings& s) {
  s.AddString("listen", &listen, "gRPC listen address host:port");
  s.AddString("metrics-listen", &metrics_listen, "Prometheus metrics listen address host:port");
  s.AddString("pg-uri", &pg_uri, "PostgreSQL connection URI");
  s.AddInt("pg-pool-size", &pg_pool_size, "PostgreSQL connections at most", 1, 512);
  s.AddDuration("pg-statement-timeout", &pg_statement_timeout,
                "longest a PostgreSQL statement may run (a call's deadline may cut it shorter)");
  s.AddDuration("pg-lock-timeout", &pg_lock_timeout, "longest wait for a PostgreSQL lock");
  s.AddInt("handler-threads", &handler_threads, "threads that run the calls' blocking work", 1,
           1024);
  s.AddInt("handler-queue", &handler_queue,
           "calls that may wait for a handler thread; more get RESOURCE_EXHAUSTED", 0, 100000);
  s.AddInt("caller-call-rate", &caller_call_rate,
           "calls a second each caller (token) may make, role service excepted; 0: no limit", 0,
           1000000);
  s.AddInt("caller-call-burst", &caller_call_burst,
           "calls a caller may make at once before caller-call-rate applies", 1, 1000000);
  s.AddString("redis-address", &redis_address, "Redis host:port");
  s.AddInt("redis-db", &redis_db, "Redis logical database", 0, 65535);
  s.AddString("tokens-file", &tokens_file,
              "file of bearer-token hashes with their roles (required)");
  s.AddString("tls-cert", &tls_cert, "server certificate (PEM); empty: plaintext");
  s.AddString("tls-key", &tls_key, "server private key (PEM)");
  s.AddString("tls-client-ca", &tls_client_ca,
              "CA (PEM) that client certificates must chain to; set: mutual TLS required");
  s.AddBool("allow-insecure", &allow_insecure, "allow plaintext gRPC on a non-loopback address");
  s.AddInt("max-message-bytes", &max_message_bytes, "largest gRPC message accepted or sent", 1024,
           64 << 20);
  s.AddDuration("drain-timeout", &drain_timeout, "on SIGTERM, how long in-flight calls may finish");
  s.AddString("log-level", &log_level, "debug, info, warn or error");
  s.AddBool("test-clock", &test_clock,
            "expose hotline.common.v1.TestClock (admin) to set the service's clock: tests only");
  s.AddInt("outbox-batch-size", &outbox.batch_size, "events sent to a service in one call", 1,
           10000);
  s.AddDuration("outbox-poll-interval", &outbox.poll_interval,
                "how often the outbox is looked at without a notification");
  s.AddDuration("outbox-lease", &outbox.lease,
                "how long a batch being sent is reserved for its relay");
  s.AddDuration("outbox-min-backoff", &outbox.min_backoff,
                "first wait before resending an event the receiver refused");
  s.AddDuration("outbox-max-backoff", &outbox.max_backoff,
                "longest wait before resending an event the receiver refused");
  s.AddDuration("outbox-destination-backoff", &outbox.max_destination_backoff,
                "longest wait between tries of a service that cannot be reached");
  s.AddDuration("event-send-timeout", &event_send_timeout,
                "deadline of one DeliverEvents call to another service");
  s.AddDuration("outbox-keep-delivered", &outbox_keep_delivered,
                "how long delivered outbox rows are kept");
  s.AddDuration("inbox-keep", &inbox_keep,
                "how long received event ids are remembered (redelivery is ignored that long)");
  s.AddString("intake-address", &intake_address, "the intake service, host:port");
  s.AddString("dispatch-address", &dispatch_address, "the dispatch service, host:port");
  s.AddString("sla-address", &sla_address, "the sla service, host:port");
  s.AddString("outage-address", &outage_address, "the outage service, host:port");
  s.AddString("survey-address", &survey_address, "the survey service, host:port");
  s.AddString("service-token-file", &service_token_file,
              "file holding this service's bearer token for calls to the other services");
  s.AddString("peer-tls-ca", &peer_tls_ca, "CA (PEM) of the other services; empty: plaintext");
  s.AddString("peer-tls-cert", &peer_tls_cert, "client certificate (PEM) for mutual TLS");
  s.AddString("peer-tls-key", &peer_tls_key, "client private key (PEM) for mutual TLS");
}

std::string ServiceSettings::PeerAddress(absl::string_view name) const {
  if (name == "intake") {
    return intake_address;
  }
  if (name == "dispatch") {
    return dispatch_address;
  }
  if (name == "sla") {
    return sla_address;
  }
  if (name == "outage") {
    return outage_address;
  }
  if (name == "survey") {
    return survey_address;
  }
  return "";
}

absl::Status ServiceSettings::Validate() const {
  if (tokens_file.empty()) {
    return absl::InvalidArgumentError(
        "setting --tokens-file (HOTLINE_TOKENS_FILE): required, the file of token hashes");
  }
  if (tls_cert.empty() != tls_key.empty()) {
    return absl::InvalidArgumentError("settings --tls-cert and --tls-key: give both or neither");
  }
  if (!tls_client_ca.empty() && tls_cert.empty()) {
    return absl::InvalidArgumentError("setting --tls-client-ca: needs --tls-cert and --tls-key");
  }
  if (peer_tls_cert.empty() != peer_tls_key.empty()) {
    return absl::InvalidArgumentError(
        "settings --peer-tls-cert and --peer-tls-key: give both or neither");
  }
  if (log_level != "debug" && log_level != "info" && log_level != "warn" && log_level != "error") {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --log-level: '", log_level, "' is not debug, info, warn or error"));
  }
  if (outbox.lease <= event_send_timeout) {
    return absl::InvalidArgumentError(
        "setting --outbox-lease: must be longer than --event-send-timeout");
  }
  return absl::OkStatus();
}

}  // namespace hotline::runtime
