#include "libs/metrics/exposer.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/metrics/metrics_test_util.h"

namespace hotline::metrics {
namespace {

using ::hotline::metrics::testing::HttpGet;
using ::hotline::metrics::testing::PromtoolCheckMetrics;
using ::hotline::metrics::testing::SharedExposer;
using ::testing::HasSubstr;

TEST(MetricsExposerTest, ServesTheProcessRegistryInPrometheusTextFormat) {
  CounterFamily("hotline_test_scrapes_total", "Scrapes seen by the exposer test.")
      .Add({{"kind", "unit"}})
      .Increment(2);
  GaugeFamily("hotline_test_agents_ready", "Agents ready in the exposer test.").Add({}).Set(7);
  HistogramFamily("hotline_test_handle_seconds", "Handling time in the exposer test.")
      .Add({}, LatencyBuckets())
      .Observe(0.02);

  int port = SharedExposer().port();
  ASSERT_GT(port, 0);
  absl::StatusOr<std::string> body = HttpGet(port);
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_THAT(*body, HasSubstr("# TYPE hotline_test_scrapes_total counter"));
  EXPECT_THAT(*body, HasSubstr("hotline_test_scrapes_total{kind=\"unit\"} 2"));
  EXPECT_THAT(*body, HasSubstr("# HELP hotline_test_agents_ready Agents ready"));
  EXPECT_THAT(*body, HasSubstr("hotline_test_agents_ready 7"));
  EXPECT_THAT(*body, HasSubstr("hotline_test_handle_seconds_bucket{le=\"0.025\"} 1"));
  EXPECT_THAT(*body, HasSubstr("hotline_test_handle_seconds_count 1"));

  absl::Status lint = PromtoolCheckMetrics(*body);
  EXPECT_TRUE(lint.ok()) << lint << "\n" << *body;
}

TEST(MetricsExposerTest, TakenPortIsAnErrorNotACrash) {
  std::string taken = absl::StrCat("127.0.0.1:", SharedExposer().port());
  absl::StatusOr<std::unique_ptr<MetricsExposer>> second = MetricsExposer::Start(taken);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr(taken));
}

TEST(MetricsExposerTest, MalformedAddressIsInvalidArgument) {
  for (const char* address : {"", "9101", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000"}) {
    EXPECT_EQ(MetricsExposer::Start(address).status().code(), absl::StatusCode::kInvalidArgument)
        << address;
  }
}

}  // namespace
}  // namespace hotline::metrics
