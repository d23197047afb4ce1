// Repair calls from one place grouped into a suspected fault outage: three
// calls inside 15 minutes, the edges of the window, calls arriving out of
// order.

#include "services/outage/domain/repair_cluster.h"

#include <gtest/gtest.h>

namespace hotline::outage {
namespace {

const absl::Time kT0 =
    absl::FromCivil(absl::CivilSecond(2026, 12, 10, 8, 0, 0), absl::UTCTimeZone());

absl::Time At(absl::Duration after) { return kT0 + after; }

TEST(FormsCluster, ThreeCallsWithinFifteenMinutes) {
  const ClusterRule rule;
  EXPECT_TRUE(
      FormsCluster(rule, At(absl::Minutes(10)), {At(absl::Minutes(0)), At(absl::Minutes(4))}));
}

TEST(FormsCluster, TwoCallsAreNotEnough) {
  const ClusterRule rule;
  EXPECT_FALSE(FormsCluster(rule, At(absl::Minutes(1)), {At(absl::Minutes(0))}));
  EXPECT_FALSE(FormsCluster(rule, At(absl::Minutes(0)), {}));
}

TEST(FormsCluster, ExactlyTheWindowApartIsInside) {
  const ClusterRule rule;
  EXPECT_TRUE(
      FormsCluster(rule, At(absl::Minutes(15)), {At(absl::Minutes(0)), At(absl::Minutes(7))}));
  // The new call first, the others up to exactly 15 minutes later.
  EXPECT_TRUE(
      FormsCluster(rule, At(absl::Minutes(0)), {At(absl::Minutes(15)), At(absl::Minutes(15))}));
}

TEST(FormsCluster, OneSecondMoreThanTheWindowIsOutside) {
  const ClusterRule rule;
  const absl::Duration over = absl::Minutes(15) + absl::Seconds(1);
  EXPECT_FALSE(FormsCluster(rule, At(over), {At(absl::Minutes(0)), At(absl::Minutes(1))}));
  // The new call first, the others 15 minutes and 1 second later.
  EXPECT_FALSE(FormsCluster(rule, At(absl::ZeroDuration()), {At(over), At(over)}));
  // Three calls, but never three inside one 15-minute span.
  EXPECT_FALSE(FormsCluster(rule, At(absl::Minutes(10)),
                            {At(absl::ZeroDuration()), At(absl::Minutes(10) + over)}));
}

TEST(FormsCluster, ALateArrivingEarlierCallCounts) {
  const ClusterRule rule;
  // Calls at 08:05 and 08:12 are known; the one at 08:01 is reported last.
  EXPECT_TRUE(
      FormsCluster(rule, At(absl::Minutes(1)), {At(absl::Minutes(12)), At(absl::Minutes(5))}));
  // The new call sits between two others that are 15 minutes apart.
  EXPECT_TRUE(
      FormsCluster(rule, At(absl::Minutes(9)), {At(absl::Minutes(15)), At(absl::Minutes(0))}));
}

TEST(FormsCluster, ASpanMustHoldTheNewCall) {
  const ClusterRule rule;
  // Three calls at 08:00-08:04 form a cluster, but the call at 08:30 is not in it.
  EXPECT_FALSE(FormsCluster(rule, At(absl::Minutes(30)),
                            {At(absl::Minutes(0)), At(absl::Minutes(2)), At(absl::Minutes(4))}));
}

TEST(FormsCluster, TheRuleIsASetting) {
  const ClusterRule five_in_ten{5, absl::Minutes(10)};
  std::vector<absl::Time> others = {At(absl::Minutes(0)), At(absl::Minutes(2)),
                                    At(absl::Minutes(4)), At(absl::Minutes(6))};
  EXPECT_TRUE(FormsCluster(five_in_ten, At(absl::Minutes(10)), others));
  EXPECT_FALSE(FormsCluster(five_in_ten, At(absl::Minutes(11)), others));
  // Calls at the same second all count.
  EXPECT_TRUE(FormsCluster(ClusterRule{3, absl::ZeroDuration()}, kT0, {kT0, kT0}));
}

}  // namespace
}  // namespace hotline::outage
