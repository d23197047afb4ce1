#include "libs/pg/backoff.h"

#include <algorithm>

namespace hotline::pg {

absl::Duration RetryDelay(int failures, absl::Duration min, absl::Duration max, double jitter) {
  absl::Duration delay = min;
  for (int i = 1; i < failures && delay < max; ++i) {
    delay *= 2;
  }
  delay = std::min(delay, max);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return delay / 2 + (delay / 2) * jitter;
}

}  // namespace hotline::pg
