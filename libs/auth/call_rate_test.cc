#include "libs/auth/call_rate.h"

#include <gtest/gtest.h>

namespace hotline::auth {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'780'000'000);
const Principal kBranch{"branch-system-BR1", Role::kBranch, "BR1"};
const Principal kAgent{"agent-07", Role::kAgent, ""};

TEST(CallRateLimiterTest, AdmitsABurstThenRefusesNamingTheCallerAndTheWait) {
  CallRateLimiter limiter({.calls_per_second = 10, .burst = 3});
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(limiter.Admit(kBranch, kStart).ok()) << i;
  }
  absl::Status refused = limiter.Admit(kBranch, kStart);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.message(),
            "caller branch-system-BR1 is over its limit of 10 calls a second; retry in 100 ms");
}

TEST(CallRateLimiterTest, RefillsAtTheRateUpToTheBurst) {
  CallRateLimiter limiter({.calls_per_second = 10, .burst = 2});
  ASSERT_TRUE(limiter.Admit(kBranch, kStart).ok());
  ASSERT_TRUE(limiter.Admit(kBranch, kStart).ok());
  EXPECT_FALSE(limiter.Admit(kBranch, kStart + absl::Milliseconds(50)).ok());
  EXPECT_TRUE(limiter.Admit(kBranch, kStart + absl::Milliseconds(100)).ok());
  // An hour idle refills to the burst, not to 36,000 calls.
  const absl::Time later = kStart + absl::Hours(1);
  EXPECT_TRUE(limiter.Admit(kBranch, later).ok());
  EXPECT_TRUE(limiter.Admit(kBranch, later).ok());
  EXPECT_FALSE(limiter.Admit(kBranch, later).ok());
}

TEST(CallRateLimiterTest, EachCallerHasItsOwnBucket) {
  CallRateLimiter limiter({.calls_per_second = 1, .burst = 1});
  ASSERT_TRUE(limiter.Admit(kBranch, kStart).ok());
  EXPECT_FALSE(limiter.Admit(kBranch, kStart).ok());
  EXPECT_TRUE(limiter.Admit(kAgent, kStart).ok());
}

TEST(CallRateLimiterTest, TheServiceRoleAndAZeroRateAreNotLimited) {
  CallRateLimiter limiter({.calls_per_second = 1, .burst = 1});
  const Principal relay{"intake", Role::kService, ""};
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(limiter.Admit(relay, kStart).ok()) << i;
  }
  CallRateLimiter off({.calls_per_second = 0, .burst = 0});
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(off.Admit(kAgent, kStart).ok()) << i;
  }
}

}  // namespace
}  // namespace hotline::auth
