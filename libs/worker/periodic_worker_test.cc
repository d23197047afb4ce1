#include "libs/worker/periodic_worker.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace hotline::worker {
namespace {

// Counts rounds and lets a test wait for a count, with a deadline.
class Rounds {
 public:
  void Count() {
    absl::MutexLock lock(&mu_);
    ++count_;
  }
  bool WaitFor(int n, absl::Duration timeout = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    auto reached = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return count_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  }
  int count() {
    absl::MutexLock lock(&mu_);
    return count_;
  }

 private:
  absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(PeriodicWorkerTest, FirstRoundRunsAtOnceAndWakeCutsALongWait) {
  Rounds rounds;
  PeriodicWorker worker({"test", absl::Hours(1)}, [&]() -> absl::StatusOr<absl::Duration> {
    rounds.Count();
    return absl::Hours(1);
  });
  worker.Start();
  ASSERT_TRUE(rounds.WaitFor(1));
  worker.Wake();
  EXPECT_TRUE(rounds.WaitFor(2)) << "a wake-up must not wait out the hour";
  worker.Stop();
}

TEST(PeriodicWorkerTest, AZeroWaitRunsTheNextRoundAtOnce) {
  Rounds rounds;
  PeriodicWorker worker({"test", absl::Hours(1)}, [&]() -> absl::StatusOr<absl::Duration> {
    rounds.Count();
    return rounds.count() < 5 ? absl::ZeroDuration() : absl::Hours(1);
  });
  worker.Start();
  EXPECT_TRUE(rounds.WaitFor(5));
  worker.Stop();
  EXPECT_EQ(rounds.count(), 5);
}

TEST(PeriodicWorkerTest, AWakeDuringARoundMakesOneMoreRound) {
  Rounds rounds;
  PeriodicWorker* self = nullptr;
  PeriodicWorker worker({"test", absl::Hours(1)}, [&]() -> absl::StatusOr<absl::Duration> {
    rounds.Count();
    if (rounds.count() == 1) {
      self->Wake();
      self->Wake();
    }
    return absl::Hours(1);
  });
  self = &worker;
  worker.Start();
  ASSERT_TRUE(rounds.WaitFor(2));
  EXPECT_FALSE(rounds.WaitFor(3, absl::Milliseconds(200)));
  worker.Stop();
}

TEST(PeriodicWorkerTest, ErrorsBackOffAndRoundsGoOn) {
  Rounds rounds;
  PeriodicWorker worker({"test", absl::Milliseconds(10), absl::Milliseconds(40)},
                        [&]() -> absl::StatusOr<absl::Duration> {
                          rounds.Count();
                          return absl::UnavailableError("PostgreSQL away");
                        });
  worker.Start();
  EXPECT_TRUE(rounds.WaitFor(4)) << "a failing round is retried, not abandoned";
  worker.Stop();
}

TEST(PeriodicWorkerTest, AThrowingRoundDoesNotEndTheWorker) {
  Rounds rounds;
  PeriodicWorker worker({"test", absl::Milliseconds(5)}, [&]() -> absl::StatusOr<absl::Duration> {
    rounds.Count();
    throw std::runtime_error("boom");
  });
  worker.Start();
  EXPECT_TRUE(rounds.WaitFor(3));
  worker.Stop();
}

TEST(PeriodicWorkerTest, StopEndsALongWaitPromptlyAndIsIdempotent) {
  Rounds rounds;
  PeriodicWorker worker({"test", absl::Hours(1)}, [&]() -> absl::StatusOr<absl::Duration> {
    rounds.Count();
    return absl::Hours(1);
  });
  worker.Stop();  // never started: no-op
  worker.Start();
  ASSERT_TRUE(rounds.WaitFor(1));
  absl::Time before = absl::Now();
  worker.Stop();
  worker.Stop();
  EXPECT_LT(absl::Now() - before, absl::Seconds(5));
  EXPECT_EQ(rounds.count(), 1);
}

TEST(PeriodicWorkerTest, StoppingIsVisibleToTheRound) {
  std::atomic<bool> saw_stopping{false};
  absl::Notification in_round;
  PeriodicWorker* self = nullptr;
  PeriodicWorker worker({"test", absl::Hours(1)}, [&]() -> absl::StatusOr<absl::Duration> {
    in_round.Notify();
    while (!self->stopping()) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    saw_stopping = true;
    return absl::Hours(1);
  });
  self = &worker;
  worker.Start();
  in_round.WaitForNotification();
  worker.Stop();
  EXPECT_TRUE(saw_stopping);
}

}  // namespace
}  // namespace hotline::worker
