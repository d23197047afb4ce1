#pragma once

// Retry delays for failed outbox deliveries.

#include "absl/time/time.h"

namespace hotline::pg {

// The delay before the next delivery attempt of an event that has now failed
// `failures` times (>= 1): min * 2^(failures-1), capped at max, then scaled
// by `jitter` in [0, 1] into [delay/2, delay] so that events failing together
// do not all come back at the same instant. Never below min/2, never above max.
absl::Duration RetryDelay(int failures, absl::Duration min, absl::Duration max, double jitter);

}  // namespace hotline::pg
