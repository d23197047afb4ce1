#pragma once

// Per-caller rate limits: each principal (by its name in the tokens file) has
// a token bucket of `burst` calls that refills at `calls_per_second`. A call
// beyond it is refused at once with RESOURCE_EXHAUSTED, so one runaway client
// (a branch system in a loop, a front end retrying without backoff) cannot
// take the handler threads from everybody else.
//
// The `service` role is not limited: it is the other services' relays and
// the telephony feed, whose volume is the hotline's own load and which keep
// their own bounded queues.
//
// Thread-safe. Memory is one bucket per principal seen, bounded by the tokens
// file.

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/auth/role.h"

namespace hotline::auth {

struct CallRateOptions {
  int calls_per_second = 0;  // 0: no limit
  int burst = 0;             // calls allowed at once; at least 1 when limited
};

class CallRateLimiter {
 public:
  explicit CallRateLimiter(CallRateOptions options) : options_(options) {}
  CallRateLimiter(const CallRateLimiter&) = delete;
  CallRateLimiter& operator=(const CallRateLimiter&) = delete;

  // OK and one call taken from the caller's bucket, or RESOURCE_EXHAUSTED
  // "caller <name> is over its limit of N calls a second; retry in M ms".
  absl::Status Admit(const Principal& principal, absl::Time now);

 private:
  struct Bucket {
    double calls = 0;  // calls available now
    absl::Time refilled_at;
  };

  const CallRateOptions options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::auth
