#include "libs/clock/clock.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"

namespace hotline::clock {
namespace {

const absl::Time kNoon = absl::FromUnixSeconds(1796400000);

TEST(ManualClockTest, StandsStillUntilMoved) {
  ManualClock clock(kNoon);
  EXPECT_EQ(clock.Now(), kNoon);
  clock.Advance(absl::Hours(49));
  EXPECT_EQ(clock.Now(), kNoon + absl::Hours(49));
  clock.Set(kNoon - absl::Minutes(1));
  EXPECT_EQ(clock.Now(), kNoon - absl::Minutes(1));
}

TEST(ShiftedClockTest, FollowsTheMachineUntilMovedThenKeepsFlowing) {
  ShiftedClock clock;
  EXPECT_LT(absl::AbsDuration(clock.Now() - absl::Now()), absl::Seconds(1));

  clock.Advance(absl::Hours(48));
  EXPECT_LT(absl::AbsDuration(clock.Now() - (absl::Now() + absl::Hours(48))), absl::Seconds(1));

  clock.Set(kNoon);
  absl::Time first = clock.Now();
  EXPECT_LT(absl::AbsDuration(first - kNoon), absl::Seconds(1));
  absl::SleepFor(absl::Milliseconds(5));
  EXPECT_GT(clock.Now(), first) << "a shifted clock keeps running";
}

TEST(SystemClockTest, IsTheMachineClock) {
  EXPECT_LT(absl::AbsDuration(SystemClock().Now() - absl::Now()), absl::Seconds(1));
}

}  // namespace
}  // namespace hotline::clock
