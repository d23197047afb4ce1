#pragma once

// What one kind of call did during a scenario: how many completed, how long
// each took, and the errors by gRPC status code. Thread-safe: the client's
// callbacks record from gRPC's threads.

#include <grpcpp/support/status.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hotline::bench {

// The figures of one row of the report.
struct RpcSummary {
  std::string name;                                // "CreateTicket", "ticket→branch stream", ...
  int64_t completed = 0;                           // calls (or items) that succeeded
  int64_t failed = 0;                              // sum of `errors`
  std::map<std::string, int64_t> errors;           // status code name → count
  std::map<std::string, std::string> first_error;  // status code name → its first message
  double per_second = 0;                           // completed / the scenario's measured time
  // Latency percentiles over the successful calls, in milliseconds (0 when
  // there are none, or for a row that counts items without latency).
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
  bool has_latency = true;
};

class RpcStats {
 public:
  explicit RpcStats(std::string name, bool has_latency = true)
      : name_(std::move(name)), has_latency_(has_latency) {}

  // One finished call: its status and how long it took.
  void Record(const grpc::Status& status, absl::Duration took);
  void RecordOk(absl::Duration took);
  void RecordError(const std::string& code, const std::string& message = "");
  // `n` items done at once (events of a batch), without a latency.
  void AddItems(int64_t n);

  // Percentiles from the sorted samples; the rate over `elapsed`.
  RpcSummary Summarize(absl::Duration elapsed) const;

 private:
  const std::string name_;
  const bool has_latency_;
  mutable absl::Mutex mu_;
  std::vector<int64_t> micros_ ABSL_GUARDED_BY(mu_);
  int64_t items_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, int64_t> errors_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> first_error_ ABSL_GUARDED_BY(mu_);
};

// The name of a gRPC status code, as in the gRPC documentation ("UNAVAILABLE").
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace hotline::bench
