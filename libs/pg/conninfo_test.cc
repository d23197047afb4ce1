#include "libs/pg/conninfo.h"

#include <gtest/gtest.h>

namespace hotline::pg {
namespace {

TEST(ConninfoTest, AddsTheTimeoutToUris) {
  EXPECT_EQ(WithConnectTimeout("postgresql://u@h:5432/db", absl::Seconds(5)),
            "postgresql://u@h:5432/db?connect_timeout=5");
  EXPECT_EQ(WithConnectTimeout("postgres://h/db?sslmode=disable", absl::Milliseconds(3500)),
            "postgres://h/db?sslmode=disable&connect_timeout=4");
}

TEST(ConninfoTest, AddsTheTimeoutToKeyValueStrings) {
  EXPECT_EQ(WithConnectTimeout("host=h dbname=d", absl::Seconds(7)),
            "host=h dbname=d connect_timeout=7");
  EXPECT_EQ(WithConnectTimeout("", absl::Seconds(7)), "connect_timeout=7");
}

TEST(ConninfoTest, UsesLibpqsMinimumOfTwoSeconds) {
  EXPECT_EQ(WithConnectTimeout("host=h", absl::Milliseconds(100)), "host=h connect_timeout=2");
}

TEST(ConninfoTest, KeepsAnExplicitTimeout) {
  EXPECT_EQ(WithConnectTimeout("postgresql://h/db?connect_timeout=30", absl::Seconds(5)),
            "postgresql://h/db?connect_timeout=30");
}

}  // namespace
}  // namespace hotline::pg
