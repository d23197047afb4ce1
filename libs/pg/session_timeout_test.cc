#include "libs/pg/session_timeout.h"

#include <gtest/gtest.h>

#include "libs/deadline/request_deadline.h"

namespace hotline::pg {
namespace {

constexpr absl::Duration kPool = absl::Seconds(30);

TEST(WantedStatementTimeoutTest, WithoutADeadlineOrWithMoreTimeLeftThePools) {
  EXPECT_EQ(WantedStatementTimeout(kPool).value_or(absl::ZeroDuration()), kPool);
  deadline::Scope scope(absl::Now() + absl::Minutes(1));
  EXPECT_EQ(WantedStatementTimeout(kPool).value_or(absl::ZeroDuration()), kPool);
}

TEST(WantedStatementTimeoutTest, UnderADeadlineAtMostTheTimeLeftAndAtLeastFourFifths) {
  for (absl::Duration left :
       {absl::Seconds(10), absl::Seconds(4), absl::Milliseconds(777), absl::Milliseconds(126)}) {
    deadline::Scope scope(absl::Now() + left);
    absl::StatusOr<absl::Duration> wanted = WantedStatementTimeout(kPool);
    ASSERT_TRUE(wanted.ok()) << wanted.status();
    EXPECT_LE(*wanted, left) << left;
    EXPECT_GE(*wanted, left * 0.79 - absl::Milliseconds(2)) << left;
  }
}

TEST(WantedStatementTimeoutTest, NearlyTheSameTimeLeftGivesTheSameTimeout) {
  absl::Duration first, second;
  {
    deadline::Scope scope(absl::Now() + absl::Milliseconds(9'990));
    first = WantedStatementTimeout(kPool).value_or(absl::ZeroDuration());
  }
  {
    deadline::Scope scope(absl::Now() + absl::Milliseconds(9'950));
    second = WantedStatementTimeout(kPool).value_or(absl::ZeroDuration());
  }
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, absl::Milliseconds(7'943));
}

TEST(WantedStatementTimeoutTest, NeverBelowTheLeastTimeout) {
  deadline::Scope scope(absl::Now() + absl::Milliseconds(20));
  EXPECT_EQ(WantedStatementTimeout(kPool).value_or(absl::ZeroDuration()), kLeastStatementTimeout);
  EXPECT_EQ(WantedStatementTimeout(absl::Milliseconds(50)).value_or(absl::ZeroDuration()),
            absl::Milliseconds(50))
      << "a pool's own shorter timeout";
}

TEST(WantedStatementTimeoutTest, APassedDeadlineIsDeadlineExceeded) {
  deadline::Scope scope(absl::Now() - absl::Seconds(1));
  EXPECT_EQ(WantedStatementTimeout(kPool).status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(WantedStatementTimeoutTest, APoolWithoutATimeoutStillCutsToTheDeadline) {
  EXPECT_EQ(WantedStatementTimeout(absl::ZeroDuration()).value_or(absl::Seconds(1)),
            absl::ZeroDuration());
  deadline::Scope scope(absl::Now() + absl::Seconds(2));
  EXPECT_LE(WantedStatementTimeout(absl::ZeroDuration()).value_or(absl::Hours(1)),
            absl::Seconds(2));
}

}  // namespace
}  // namespace hotline::pg
