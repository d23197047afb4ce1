#pragma once

// The one time source of the hotline services. Every component that looks at
// the time (deadlines, leases, windows, "is this in the future?") takes a
// `const Clock&` instead of calling absl::Now(), so tests fix or move time and
// a service started with --test-clock can be moved by an admin
// (hotline.common.v1.TestClock).
//
// Waiting (timeouts of condition variables, RPC deadlines) stays on real
// time: a clock says what time it is in the hotline's world, not how long a
// thread sleeps.
//
// Thread safety: every implementation here is safe to call from any thread.

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hotline::clock {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The machine's clock. One process-wide instance.
const Clock& SystemClock();

// A clock that stands still until a test sets or advances it. For unit and
// db tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override;
  void Set(absl::Time now);
  void Advance(absl::Duration by);

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// The machine's clock plus an offset that can be moved: time keeps flowing
// (leases expire, relays retry) but can jump, e.g. two working days ahead to
// see an SLA warning. It starts at the machine's time. Used by services
// started with --test-clock.
class ShiftedClock final : public Clock {
 public:
  absl::Time Now() const override;
  // From now on Now() reads `now` and flows on from there (also backwards).
  void Set(absl::Time now);
  // Moves Now() by `by` (negative moves back).
  void Advance(absl::Duration by);
  absl::Duration offset() const;

 private:
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::clock
