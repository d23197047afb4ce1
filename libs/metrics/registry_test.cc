#include "libs/metrics/registry.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/metrics/metrics_test_util.h"

namespace hotline::metrics {
namespace {

using ::hotline::metrics::testing::FindSeries;

TEST(RegistryTest, ProcessRegistryIsOneRegistry) {
  EXPECT_EQ(ProcessRegistry().get(), ProcessRegistry().get());
  EXPECT_NE(ProcessRegistry(), nullptr);
}

TEST(RegistryTest, DeclaringAFamilyTwiceReturnsTheSameFamily) {
  prometheus::Registry registry;
  auto& first = CounterFamily("hotline_test_twice_total", "Declared twice.", registry);
  auto& second = CounterFamily("hotline_test_twice_total", "Declared twice.", registry);
  EXPECT_EQ(&first, &second);
  first.Add({{"k", "v"}}).Increment(2);
  second.Add({{"k", "v"}}).Increment();
  EXPECT_EQ(FindSeries(registry, "hotline_test_twice_total", {{"k", "v"}})->counter.value, 3);
}

TEST(RegistryTest, HelpersDeclareEachKindOfMetric) {
  prometheus::Registry registry;
  CounterFamily("hotline_test_events_total", "Events.", registry).Add({}).Increment();
  GaugeFamily("hotline_test_waiting", "Waiting.", registry).Add({{"queue", "a"}}).Set(4);
  HistogramFamily("hotline_test_wait_seconds", "Wait.", registry)
      .Add({}, LatencyBuckets())
      .Observe(0.003);

  EXPECT_EQ(FindSeries(registry, "hotline_test_events_total", {})->counter.value, 1);
  EXPECT_EQ(FindSeries(registry, "hotline_test_waiting", {{"queue", "a"}})->gauge.value, 4);
  auto histogram = FindSeries(registry, "hotline_test_wait_seconds", {})->histogram;
  EXPECT_EQ(histogram.sample_count, 1u);
  // 3 ms falls in the 5 ms bucket, not the 2.5 ms one.
  for (const auto& bucket : histogram.bucket) {
    EXPECT_EQ(bucket.cumulative_count, bucket.upper_bound >= 0.005 ? 1u : 0u)
        << "bucket " << bucket.upper_bound;
  }
}

TEST(RegistryTest, LatencyBucketsSpanOneMillisecondToTenSeconds) {
  const auto& buckets = LatencyBuckets();
  ASSERT_FALSE(buckets.empty());
  EXPECT_EQ(buckets.front(), 0.001);
  EXPECT_EQ(buckets.back(), 10.0);
  EXPECT_TRUE(std::is_sorted(buckets.begin(), buckets.end()));
  EXPECT_EQ(std::adjacent_find(buckets.begin(), buckets.end()), buckets.end());
}

TEST(RegistryDeathTest, ReusingANameForAnotherKindStopsWithAClearMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  prometheus::Registry registry;
  CounterFamily("hotline_test_clash", "A counter.", registry);
  EXPECT_DEATH(GaugeFamily("hotline_test_clash", "A gauge.", registry),
               "cannot register metric hotline_test_clash");
  EXPECT_DEATH(CounterFamily("not a valid name", "Bad.", registry),
               "cannot register metric not a valid name");
}

}  // namespace
}  // namespace hotline::metrics
