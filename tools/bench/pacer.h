#pragma once

// Starts calls at a pace, from one thread, without waiting for them: the
// calls are asynchronous (gRPC's callback API) and tell the pacer when they
// end. Two shapes:
//  - open loop (rate > 0): call i is due at start + i / rate, whatever the
//    earlier calls do; at most `in_flight` run at once, and a call held back
//    by that cap still counts its latency from when it was due (so a slow
//    server shows as latency, not as a quietly lower rate);
//  - closed loop (rate == 0): `in_flight` calls always running, the next
//    started as one ends.

#include <cstdint>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hotline::bench {

struct Pace {
  double rate = 0;     // calls per second; 0: closed loop
  int in_flight = 64;  // the most calls running at once
  absl::Duration duration = absl::Seconds(10);
  // How long Run waits for the calls still running after `duration`.
  absl::Duration drain = absl::Seconds(15);
};

class Pacer {
 public:
  explicit Pacer(Pace pace) : pace_(pace) {}

  // Calls launch(due) for each call until `duration` has passed, then waits
  // for the calls in flight (up to `drain`). `launch` starts an asynchronous
  // call that calls Done() exactly once when it ends. Returns the time from
  // the first call to the end of the last (the rate's denominator).
  absl::Duration Run(const std::function<void(absl::Time due)>& launch);

  // A call started by `launch` ended; callable from any thread.
  void Done();

  int64_t started() const { return started_; }

 private:
  const Pace pace_;
  int64_t started_ = 0;
  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_end_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::bench
