#include "libs/deadline/request_deadline.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace hotline::deadline {
namespace {

thread_local absl::Time current = absl::InfiniteFuture();

}  // namespace

absl::Time Current() { return current; }

absl::Duration Remaining() {
  if (current == absl::InfiniteFuture()) {
    return absl::InfiniteDuration();
  }
  return current - absl::Now();
}

Scope::Scope(absl::Time deadline) : previous_(current) { current = std::min(current, deadline); }

Scope::~Scope() { current = previous_; }

}  // namespace hotline::deadline
