#pragma once

// The time source of the ticket desk, so tests of deadlines and windows can
// fix it. Implementations must be thread-safe.

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace hotline::intake {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace hotline::intake
