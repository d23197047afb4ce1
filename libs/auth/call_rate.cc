#include "libs/auth/call_rate.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace hotline::auth {

absl::Status CallRateLimiter::Admit(const Principal& principal, absl::Time now) {
  if (options_.calls_per_second <= 0 || principal.role == Role::kService) {
    return absl::OkStatus();
  }
  const double burst = std::max(1, options_.burst);
  double missing = 0;
  {
    absl::MutexLock lock(&mu_);
    auto [it, added] = buckets_.try_emplace(principal.name, Bucket{burst, now});
    Bucket& bucket = it->second;
    if (!added && now > bucket.refilled_at) {
      bucket.calls =
          std::min(burst, bucket.calls + absl::ToDoubleSeconds(now - bucket.refilled_at) *
                                             options_.calls_per_second);
      bucket.refilled_at = now;
    }
    if (bucket.calls >= 1) {
      bucket.calls -= 1;
      return absl::OkStatus();
    }
    missing = 1 - bucket.calls;
  }
  const auto retry_ms = static_cast<long>(std::ceil(1000 * missing / options_.calls_per_second));
  return absl::ResourceExhaustedError(
      absl::StrCat("caller ", principal.name, " is over its limit of ", options_.calls_per_second,
                   " calls a second; retry in ", retry_ms, " ms"));
}

}  // namespace hotline::auth
