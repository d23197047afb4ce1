#include "libs/config/settings.h"

#include <gtest/gtest.h>

#include <vector>

namespace hotline::config {
namespace {

struct Fixture {
  std::string pg_uri = "postgresql://localhost/hotline";
  int pool_size = 8;
  bool allow_insecure = false;
  absl::Duration lease = absl::Seconds(60);
  Settings settings{"hotline-test", "a test"};

  Fixture() {
    settings.AddString("pg-uri", &pg_uri, "PostgreSQL URI");
    settings.AddInt("pg-pool-size", &pool_size, "connections", 1, 256);
    settings.AddBool("allow-insecure", &allow_insecure, "plaintext off loopback");
    settings.AddDuration("order-lease", &lease, "ack lease");
  }

  absl::Status Parse(std::vector<const char*> args, std::vector<const char*> env = {}) {
    args.insert(args.begin(), "hotline-test");
    env.push_back(nullptr);
    return settings.Parse(static_cast<int>(args.size()), args.data(), env.data());
  }
};

TEST(SettingsTest, DefaultsStayWhenNothingIsGiven) {
  Fixture f;
  ASSERT_TRUE(f.Parse({}, {"PATH=/usr/bin", "HOME=/root"}).ok());
  EXPECT_EQ(f.pg_uri, "postgresql://localhost/hotline");
  EXPECT_EQ(f.pool_size, 8);
  EXPECT_FALSE(f.allow_insecure);
  EXPECT_EQ(f.lease, absl::Seconds(60));
}

TEST(SettingsTest, FlagsInBothFormsAndEnvironmentAreRead) {
  Fixture f;
  ASSERT_TRUE(f.Parse({"--pg-pool-size=16", "--order-lease", "90s", "--allow-insecure"},
                      {"HOTLINE_PG_URI=postgresql://db/x"})
                  .ok());
  EXPECT_EQ(f.pool_size, 16);
  EXPECT_EQ(f.lease, absl::Seconds(90));
  EXPECT_TRUE(f.allow_insecure);
  EXPECT_EQ(f.pg_uri, "postgresql://db/x");
}

TEST(SettingsTest, FlagWinsOverEnvironment) {
  Fixture f;
  ASSERT_TRUE(f.Parse({"--pg-pool-size=4"}, {"HOTLINE_PG_POOL_SIZE=32"}).ok());
  EXPECT_EQ(f.pool_size, 4);
}

TEST(SettingsTest, MalformedValuesAreRejectedByName) {
  struct Case {
    std::vector<const char*> args;
    std::vector<const char*> env;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{"--pg-pool-size=many"}, {}, "setting --pg-pool-size: 'many' is not a whole number"},
      {{"--pg-pool-size=0"}, {}, "setting --pg-pool-size: 0 is outside [1, 256]"},
      {{}, {"HOTLINE_PG_POOL_SIZE=9999"}, "setting HOTLINE_PG_POOL_SIZE: 9999 is outside"},
      {{"--allow-insecure=maybe"}, {}, "setting --allow-insecure: 'maybe' is not true or false"},
      {{"--order-lease=soon"}, {}, "setting --order-lease: 'soon' is not a duration"},
      {{}, {"HOTLINE_ORDER_LEASE=-5s"}, "setting HOTLINE_ORDER_LEASE: '-5s' is not a duration"},
      {{"--pg-uri"}, {}, "setting --pg-uri: needs a value"},
  };
  for (const Case& c : cases) {
    Fixture f;
    absl::Status status = f.Parse(c.args, c.env);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.expected;
    EXPECT_NE(status.message().find(c.expected), absl::string_view::npos)
        << "got: " << status.message();
  }
}

TEST(SettingsTest, UnknownSettingsAreRejectedByName) {
  Fixture f;
  absl::Status flag = f.Parse({"--pg-pool=3"});
  EXPECT_EQ(flag.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(flag.message().find("unknown setting --pg-pool"), absl::string_view::npos);

  Fixture g;
  absl::Status env = g.Parse({}, {"HOTLINE_PG_URL=postgresql://typo"});
  EXPECT_EQ(env.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(env.message().find("unknown setting HOTLINE_PG_URL"), absl::string_view::npos);

  Fixture h;
  absl::Status bare = h.Parse({"verbose"});
  EXPECT_EQ(bare.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bare.message().find("'verbose'"), absl::string_view::npos);
}

TEST(SettingsTest, HelpListsEverySettingWithItsVariable) {
  Fixture f;
  ASSERT_TRUE(f.Parse({"--help"}).ok());
  EXPECT_TRUE(f.settings.help_requested());
  std::string help = f.settings.Help();
  for (const char* needle : {"--pg-uri", "HOTLINE_PG_URI", "--pg-pool-size", "HOTLINE_PG_POOL_SIZE",
                             "--allow-insecure", "--order-lease", "default: 1m"}) {
    EXPECT_NE(help.find(needle), std::string::npos) << needle;
  }
}

}  // namespace
}  // namespace hotline::config
