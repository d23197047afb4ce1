#include "libs/clock/clock.h"

#include "absl/time/clock.h"

namespace hotline::clock {
namespace {

class MachineClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

const Clock& SystemClock() {
  static const MachineClock* const kClock = new MachineClock();
  return *kClock;
}

absl::Time ManualClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

void ManualClock::Set(absl::Time now) {
  absl::MutexLock lock(&mu_);
  now_ = now;
}

void ManualClock::Advance(absl::Duration by) {
  absl::MutexLock lock(&mu_);
  now_ += by;
}

absl::Time ShiftedClock::Now() const {
  absl::MutexLock lock(&mu_);
  return absl::Now() + offset_;
}

void ShiftedClock::Set(absl::Time now) {
  absl::MutexLock lock(&mu_);
  offset_ = now - absl::Now();
}

void ShiftedClock::Advance(absl::Duration by) {
  absl::MutexLock lock(&mu_);
  offset_ += by;
}

absl::Duration ShiftedClock::offset() const {
  absl::MutexLock lock(&mu_);
  return offset_;
}

}  // namespace hotline::clock
