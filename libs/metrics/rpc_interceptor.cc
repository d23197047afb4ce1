#include "libs/metrics/rpc_interceptor.h"

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace hotline::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr size_t kMaxTrackedMethods = 1000;
constexpr int kCodeCount = 17;  // OK .. UNAUTHENTICATED.

std::string CodeName(int code) {
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? absl::StrCat("CODE_", code) : name;
}

// The series of one method; counters per code are created on first use.
class MethodMetrics {
 public:
  MethodMetrics(std::string service, std::string method,
                prometheus::Family<prometheus::Counter>& requests,
                prometheus::Family<prometheus::Histogram>& durations)
      : service_(std::move(service)),
        method_(std::move(method)),
        requests_(requests),
        duration_(durations.Add({{"service", service_}, {"method", method_}}, LatencyBuckets())) {}

  void Record(int code, double seconds) {
    duration_.Observe(seconds);
    if (code < 0 || code >= kCodeCount) {
      code = static_cast<int>(grpc::StatusCode::UNKNOWN);
    }
    prometheus::Counter* counter = counters_[code].load(std::memory_order_acquire);
    if (counter == nullptr) {
      // Family::Add returns the existing child for equal labels, so racing
      // threads store the same pointer.
      counter =
          &requests_.Add({{"service", service_}, {"method", method_}, {"code", CodeName(code)}});
      counters_[code].store(counter, std::memory_order_release);
    }
    counter->Increment();
  }

 private:
  const std::string service_;
  const std::string method_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Histogram& duration_;
  std::array<std::atomic<prometheus::Counter*>, kCodeCount> counters_{};
};

class RpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit RpcMetricsInterceptor(MethodMetrics& metrics)
      : metrics_(metrics), started_(std::chrono::steady_clock::now()) {}

  ~RpcMetricsInterceptor() override {
    if (!recorded_) {
      Record(static_cast<int>(grpc::StatusCode::CANCELLED));
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(static_cast<int>(methods->GetSendStatus().error_code()));
    }
    methods->Proceed();
  }

 private:
  void Record(int code) {
    recorded_ = true;
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
    metrics_.Record(code, elapsed.count());
  }

  MethodMetrics& metrics_;
  const std::chrono::steady_clock::time_point started_;
  bool recorded_ = false;
};

class RpcMetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcMetricsInterceptorFactory(std::shared_ptr<prometheus::Registry> registry)
      : registry_(std::move(registry)),
        requests_(CounterFamily("hotline_rpc_requests_total",
                                "gRPC requests handled, by service, method and status code.",
                                *registry_)),
        durations_(HistogramFamily("hotline_rpc_duration_seconds",
                                   "Time from receiving a gRPC request to sending its status.",
                                   *registry_)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcMetricsInterceptor(ForMethod(info->method() == nullptr ? "" : info->method()));
  }

 private:
  MethodMetrics& ForMethod(absl::string_view full_method) {
    {
      absl::ReaderMutexLock lock(&mutex_);
      auto it = methods_.find(full_method);
      if (it != methods_.end()) {
        return *it->second;
      }
    }
    absl::MutexLock lock(&mutex_);
    auto it = methods_.find(full_method);
    if (it != methods_.end()) {
      return *it->second;
    }
    if (methods_.size() >= kMaxTrackedMethods) {
      if (other_ == nullptr) {
        other_ = std::make_unique<MethodMetrics>("other", "other", requests_, durations_);
      }
      return *other_;
    }
    // "/package.Service/Method"
    absl::string_view path = full_method;
    if (!path.empty() && path.front() == '/') {
      path.remove_prefix(1);
    }
    size_t slash = path.rfind('/');
    std::string service =
        slash == absl::string_view::npos ? "unknown" : std::string(path.substr(0, slash));
    std::string method =
        std::string(slash == absl::string_view::npos ? path : path.substr(slash + 1));
    auto& slot = methods_[std::string(full_method)];
    slot = std::make_unique<MethodMetrics>(std::move(service), std::move(method), requests_,
                                           durations_);
    return *slot;
  }

  const std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;

  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodMetrics>> methods_ ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<MethodMetrics> other_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeRpcMetricsInterceptorFactory(std::shared_ptr<prometheus::Registry> registry) {
  return std::make_unique<RpcMetricsInterceptorFactory>(std::move(registry));
}

}  // namespace hotline::metrics
