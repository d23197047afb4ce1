#include "services/intake/calls/call_center_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hotline::intake {
namespace {

using ::testing::HasSubstr;

absl::Status ParseAndValidate(std::vector<const char*> args) {
  CallCenterSettings settings;
  config::Settings flags("hotline-intake", "test");
  settings.Register(flags);
  args.insert(args.begin(), "hotline-intake");
  const char* no_env[] = {nullptr};
  absl::Status parsed = flags.Parse(static_cast<int>(args.size()), args.data(), no_env);
  return parsed.ok() ? settings.Validate() : parsed;
}

TEST(CallCenterSettingsTest, DefaultsAreTheHotlinesTargets) {
  CallCenterSettings settings;
  EXPECT_TRUE(settings.Validate().ok());
  EXPECT_EQ(settings.StatsRules().ring_threshold_seconds, 9);
  EXPECT_EQ(settings.StatsRules().mute_limit_seconds, 30);
  EXPECT_EQ(settings.redis_prefix, "hotline:calls");
  EXPECT_EQ(settings.watch_interval, absl::Seconds(5));
}

TEST(CallCenterSettingsTest, BadValuesNameTheSetting) {
  EXPECT_TRUE(ParseAndValidate({"--calls-ring-threshold=12s", "--calls-mute-limit=1m"}).ok());
  EXPECT_THAT(ParseAndValidate({"--calls-ring-threshold=9500ms"}).message(),
              HasSubstr("setting --calls-ring-threshold: 9.5s must be whole seconds"));
  EXPECT_THAT(ParseAndValidate({"--calls-mute-limit=-1s"}).message(),
              HasSubstr("setting --calls-mute-limit"));
  EXPECT_THAT(ParseAndValidate({"--calls-redis-prefix={x}"}).message(),
              HasSubstr("setting --calls-redis-prefix"));
  EXPECT_THAT(ParseAndValidate({"--calls-watch-interval=1ms"}).message(),
              HasSubstr("setting --calls-watch-interval"));
  EXPECT_FALSE(ParseAndValidate({"--calls-max-batch=0"}).ok());
}

}  // namespace
}  // namespace hotline::intake
