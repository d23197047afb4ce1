#include "libs/pg/backoff.h"

#include <gtest/gtest.h>

namespace hotline::pg {
namespace {

constexpr absl::Duration kMin = absl::Milliseconds(500);
constexpr absl::Duration kMax = absl::Seconds(60);

TEST(BackoffTest, DoublesFromTheMinimum) {
  EXPECT_EQ(RetryDelay(1, kMin, kMax, 1.0), absl::Milliseconds(500));
  EXPECT_EQ(RetryDelay(2, kMin, kMax, 1.0), absl::Seconds(1));
  EXPECT_EQ(RetryDelay(5, kMin, kMax, 1.0), absl::Seconds(8));
}

TEST(BackoffTest, StopsAtTheMaximumEvenAfterManyFailures) {
  EXPECT_EQ(RetryDelay(8, kMin, kMax, 1.0), absl::Seconds(60));
  EXPECT_EQ(RetryDelay(1000000, kMin, kMax, 1.0), absl::Seconds(60));
}

TEST(BackoffTest, JitterSpreadsOverTheUpperHalf) {
  EXPECT_EQ(RetryDelay(3, kMin, kMax, 0.0), absl::Seconds(1));
  EXPECT_EQ(RetryDelay(3, kMin, kMax, 0.5), absl::Milliseconds(1500));
  EXPECT_EQ(RetryDelay(3, kMin, kMax, 7.0), absl::Seconds(2));  // clamped
}

}  // namespace
}  // namespace hotline::pg
