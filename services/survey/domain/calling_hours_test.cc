#include "services/survey/domain/calling_hours.h"

#include <gtest/gtest.h>

namespace hotline::survey {
namespace {

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return zone;
}

absl::Time At(int day, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(2026, 7, day, hh, mm, 0), Shanghai());
}

CallingHours Daytime() {
  absl::StatusOr<CallingHours> hours = ParseCallingHours("08:00", "21:00", Shanghai());
  EXPECT_TRUE(hours.ok()) << hours.status();
  return *hours;
}

TEST(CallingHoursTest, NoCallsAtNight) {
  const CallingHours hours = Daytime();
  EXPECT_FALSE(hours.Within(At(14, 7, 59)));
  EXPECT_TRUE(hours.Within(At(14, 8, 0)));
  EXPECT_TRUE(hours.Within(At(14, 20, 59)));
  EXPECT_FALSE(hours.Within(At(14, 21, 0)));
  EXPECT_FALSE(hours.Within(At(15, 3, 0)));
}

TEST(CallingHoursTest, NextStartIsTheNextMorning) {
  const CallingHours hours = Daytime();
  EXPECT_EQ(hours.NextStart(At(14, 22, 30)), At(15, 8, 0));
  EXPECT_EQ(hours.NextStart(At(15, 3, 0)), At(15, 8, 0));
  EXPECT_EQ(hours.NextStart(At(15, 9, 15)), At(15, 9, 15));
  EXPECT_EQ(hours.Describe(), "08:00-21:00 Asia/Shanghai");
}

TEST(CallingHoursTest, HoursMaySpanMidnight) {
  absl::StatusOr<CallingHours> hours = ParseCallingHours("20:00", "02:00", Shanghai());
  ASSERT_TRUE(hours.ok()) << hours.status();
  EXPECT_TRUE(hours->Within(At(14, 23, 0)));
  EXPECT_TRUE(hours->Within(At(15, 1, 59)));
  EXPECT_FALSE(hours->Within(At(15, 2, 0)));
  EXPECT_EQ(hours->NextStart(At(15, 12, 0)), At(15, 20, 0));
}

TEST(CallingHoursTest, MalformedSettingsAreNamed) {
  absl::Status bad = ParseCallingHours("8am", "21:00", Shanghai()).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("--calling-hours-start"), std::string::npos) << bad;
  bad = ParseCallingHours("08:00", "24:00", Shanghai()).status();
  EXPECT_NE(bad.message().find("--calling-hours-end"), std::string::npos) << bad;
  bad = ParseCallingHours("08:00", "08:00", Shanghai()).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace hotline::survey
