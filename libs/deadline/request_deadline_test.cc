#include "libs/deadline/request_deadline.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/time/clock.h"

namespace hotline::deadline {
namespace {

TEST(RequestDeadlineTest, NoScopeMeansNoDeadline) {
  EXPECT_EQ(Current(), absl::InfiniteFuture());
  EXPECT_EQ(Remaining(), absl::InfiniteDuration());
}

TEST(RequestDeadlineTest, ScopesNestAndOnlyShorten) {
  const absl::Time soon = absl::Now() + absl::Seconds(5);
  {
    Scope outer(soon);
    EXPECT_EQ(Current(), soon);
    EXPECT_GT(Remaining(), absl::Seconds(4));
    {
      Scope longer(soon + absl::Hours(1));
      EXPECT_EQ(Current(), soon) << "an inner scope cannot extend the caller's deadline";
      Scope shorter(soon - absl::Seconds(4));
      EXPECT_EQ(Current(), soon - absl::Seconds(4));
    }
    EXPECT_EQ(Current(), soon);
  }
  EXPECT_EQ(Current(), absl::InfiniteFuture());
}

TEST(RequestDeadlineTest, ScopeCoversOnlyItsThread) {
  Scope scope(absl::Now() + absl::Seconds(1));
  absl::Time seen_elsewhere;
  std::thread other([&] { seen_elsewhere = Current(); });
  other.join();
  EXPECT_EQ(seen_elsewhere, absl::InfiniteFuture());
}

}  // namespace
}  // namespace hotline::deadline
