#include "tools/bench/rpc_stats.h"

#include <algorithm>

namespace hotline::bench {

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

void RpcStats::Record(const grpc::Status& status, absl::Duration took) {
  if (status.ok()) {
    RecordOk(took);
  } else {
    RecordError(StatusCodeName(status.error_code()), status.error_message());
  }
}

void RpcStats::RecordOk(absl::Duration took) {
  absl::MutexLock lock(&mu_);
  micros_.push_back(absl::ToInt64Microseconds(took));
}

void RpcStats::RecordError(const std::string& code, const std::string& message) {
  absl::MutexLock lock(&mu_);
  if (++errors_[code] == 1) {
    first_error_[code] = message;
  }
}

void RpcStats::AddItems(int64_t n) {
  absl::MutexLock lock(&mu_);
  items_ += n;
}

RpcSummary RpcStats::Summarize(absl::Duration elapsed) const {
  std::vector<int64_t> sorted;
  RpcSummary s;
  s.name = name_;
  s.has_latency = has_latency_;
  {
    absl::MutexLock lock(&mu_);
    sorted = micros_;
    s.errors = errors_;
    s.first_error = first_error_;
    s.completed = has_latency_ ? static_cast<int64_t>(micros_.size()) : items_;
  }
  for (const auto& [code, n] : s.errors) {
    s.failed += n;
  }
  const double seconds = absl::ToDoubleSeconds(elapsed);
  s.per_second = seconds > 0 ? static_cast<double>(s.completed) / seconds : 0;
  if (!has_latency_ || sorted.empty()) {
    return s;
  }
  std::sort(sorted.begin(), sorted.end());
  // The nearest-rank percentile: the smallest sample with at least p% at or below it.
  auto at = [&sorted](double p) {
    size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
    rank = std::clamp<size_t>(rank, 1, sorted.size());
    return static_cast<double>(sorted[rank - 1]) / 1000.0;
  };
  s.p50_ms = at(50);
  s.p95_ms = at(95);
  s.p99_ms = at(99);
  s.max_ms = static_cast<double>(sorted.back()) / 1000.0;
  return s;
}

}  // namespace hotline::bench
