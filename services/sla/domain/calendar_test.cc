// The working-day calendar: which days count, time counted on them, shifts,
// the calendar from the API and from a file. Dates in Asia/Shanghai, 2026
// (1 January 2026 is a Thursday).

#include "services/sla/domain/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace hotline::sla {

void PrintTo(const ShiftWindow& w, std::ostream* os) {
  absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  *os << "{" << w.name << " " << absl::FormatTime("%Y-%m-%d %H:%M", w.starts_at, zone) << " - "
      << absl::FormatTime("%Y-%m-%d %H:%M", w.ends_at, zone) << "}";
}

void PrintTo(const ShiftSpan& s, std::ostream* os) {
  *os << "{" << s.name << " " << s.start_minute << "-" << s.end_minute << "}";
}

namespace {

using ::testing::ElementsAre;

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

absl::Time At(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute), Shanghai());
}

std::string Local(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M", t, Shanghai()); }

std::string ReadSourceFile(const std::string& path) {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  std::ifstream in(absl::StrCat(dir != nullptr ? dir : HOTLINE_SOURCE_DIR, "/", path));
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The national calendar of 2026 as the State Council announced it, from
// deploy/sla/calendar-2026.csv.
WorkCalendar China2026() {
  absl::StatusOr<v1::Calendar> file =
      ParseCalendarFile(ReadSourceFile("deploy/sla/calendar-2026.csv"), "");
  EXPECT_TRUE(file.ok()) << file.status();
  absl::StatusOr<WorkCalendar> calendar = CalendarFromProto(*file, Shanghai());
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *calendar;
}

constexpr v1::Measure kDays = v1::MEASURE_WORKING_DAYS;
constexpr v1::Measure kHours = v1::MEASURE_WORKING_HOURS;
constexpr v1::Measure kElapsed = v1::MEASURE_ELAPSED;

TEST(CalendarDays, WeekdaysWorkUnlessHolidaysAndWeekendsOnlyAsMakeUpDays) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  c.holidays = {absl::CivilDay(2026, 10, 1)};
  c.make_up_days = {absl::CivilDay(2026, 10, 10)};
  EXPECT_TRUE(IsWorkingDay(c, absl::CivilDay(2026, 10, 9)));    // Friday
  EXPECT_FALSE(IsWorkingDay(c, absl::CivilDay(2026, 10, 1)));   // Thursday, a holiday
  EXPECT_TRUE(IsWorkingDay(c, absl::CivilDay(2026, 10, 10)));   // Saturday, made up
  EXPECT_FALSE(IsWorkingDay(c, absl::CivilDay(2026, 10, 11)));  // Sunday
}

TEST(CalendarDays, DefaultCalendarHasTheDefaultHoursAndShifts) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  EXPECT_EQ(c.working_start_minute, 8 * 60 + 30);
  EXPECT_EQ(c.working_end_minute, 17 * 60 + 30);
  EXPECT_THAT(c.shifts, ElementsAre(ShiftSpan{"day", 480, 960}, ShiftSpan{"evening", 960, 1440},
                                    ShiftSpan{"night", 0, 480}));
  EXPECT_TRUE(c.holidays.empty());
  EXPECT_TRUE(c.make_up_days.empty());
}

TEST(CalendarWorkingDays, ADeadlineAcrossAWeekend) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  // Friday 10:00 + one working day: Monday 10:00; two: Tuesday 10:00.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 3, 6, 10, 0), absl::Hours(24)), At(2026, 3, 9, 10, 0));
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 3, 6, 10, 0), absl::Hours(48)), At(2026, 3, 10, 10, 0));
}

TEST(CalendarWorkingDays, StartedOnADayOffCountsFromTheNextWorkingDaysMidnight) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  // Saturday 15:00 + 2 working days: Monday and Tuesday, due Wednesday 00:00.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 3, 7, 15, 0), absl::Hours(48)), At(2026, 3, 11, 0, 0));
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 3, 7, 15, 0), absl::Hours(30)), At(2026, 3, 10, 6, 0));
}

TEST(CalendarWorkingDays, AnAmountEndingWithAWorkingDayIsDueAtItsEnd) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  // Friday 00:00 + one working day: the end of Friday, not Monday's start.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 3, 6, 0, 0), absl::Hours(24)), At(2026, 3, 7, 0, 0));
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 3, 6, 10, 0), absl::ZeroDuration()),
            At(2026, 3, 6, 10, 0));
}

TEST(CalendarWorkingDays, ADeadlineAcrossNationalDayWeekAndItsMakeUpDays) {
  WorkCalendar c = China2026();
  // A department answer (2 working days) asked Wednesday 30 September 10:00:
  // 14h that day, nothing from 1 to 7 October (the holiday covers the
  // weekend of 3-4 October), Thursday 8 October whole, 10h of Friday.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 9, 30, 10, 0), absl::Hours(48)), At(2026, 10, 9, 10, 0));
  // Started inside the holiday: counting starts Thursday 8 October 00:00;
  // the third working day is the make-up Saturday 10 October.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 10, 3, 9, 0), absl::Hours(72)), At(2026, 10, 11, 0, 0));
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 10, 3, 9, 0), absl::Hours(60)), At(2026, 10, 10, 12, 0));
}

TEST(CalendarWorkingDays, ADeadlineOntoAMakeUpWorkingSaturday) {
  WorkCalendar c = China2026();
  // Friday 9 October 10:00 + 1 working day: Saturday 10 October is worked.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 10, 9, 10, 0), absl::Hours(24)), At(2026, 10, 10, 10, 0));
  // The same without the make-up day: Monday 12 October.
  WorkCalendar plain = DefaultCalendar(Shanghai());
  EXPECT_EQ(AddCounted(plain, kDays, At(2026, 10, 9, 10, 0), absl::Hours(24)),
            At(2026, 10, 12, 10, 0));
  // Friday 18 September 15:00 + 1 working day: Sunday 20 September is worked.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 9, 18, 15, 0), absl::Hours(24)), At(2026, 9, 20, 15, 0));
}

TEST(CalendarWorkingDays, SpringFestivalAndItsTwoMakeUpSaturdays) {
  WorkCalendar c = China2026();
  // Friday 13 February 12:00 + 3 working days: 12h, Saturday 14 February
  // (made up), the holiday 15-23 February, Tuesday 24 and 12h of Wednesday 25.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 2, 13, 12, 0), absl::Hours(72)), At(2026, 2, 25, 12, 0));
}

TEST(CalendarElapsed, AClockAcrossMidnightMonthEndAndYearEnd) {
  WorkCalendar c = China2026();
  // A rural arrival (90m) dispatched on New Year's Eve 23:00.
  EXPECT_EQ(AddCounted(c, kElapsed, At(2026, 12, 31, 23, 0), absl::Minutes(90)),
            At(2027, 1, 1, 0, 30));
  // Five minutes to dispatch, from 23:58 on the last day of February.
  EXPECT_EQ(AddCounted(c, kElapsed, At(2026, 2, 28, 23, 58), absl::Minutes(5)),
            At(2026, 3, 1, 0, 3));
}

TEST(CalendarWorkingDays, AClockAcrossMonthEndAndYearEnd) {
  WorkCalendar c = China2026();
  // Friday 31 July 10:00 + 1 working day: Monday 3 August 10:00.
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 7, 31, 10, 0), absl::Hours(24)), At(2026, 8, 3, 10, 0));
  // Thursday 31 December 10:00 + 1 working day: Friday 1 January 2027,
  // which the 2026 file does not know as a holiday...
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 12, 31, 10, 0), absl::Hours(24)), At(2027, 1, 1, 10, 0));
  // ... and Monday 4 January once it does.
  c.holidays.insert(absl::CivilDay(2027, 1, 1));
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 12, 31, 10, 0), absl::Hours(24)), At(2027, 1, 4, 10, 0));
  EXPECT_EQ(CountedBetween(c, kDays, At(2026, 12, 31, 10, 0), At(2027, 1, 4, 10, 0)),
            absl::Hours(24));
}

TEST(CalendarWorkingHours, OnlyTheWorkingHoursOfWorkingDaysCount) {
  WorkCalendar c = DefaultCalendar(Shanghai());  // 08:30-17:30
  // Thursday 17:00 + 2 working hours: 30 minutes that day, 90 minutes from
  // 08:30 on Friday.
  EXPECT_EQ(AddCounted(c, kHours, At(2026, 3, 5, 17, 0), absl::Hours(2)), At(2026, 3, 6, 10, 0));
  EXPECT_EQ(AddCounted(c, kHours, At(2026, 3, 5, 17, 0), absl::Minutes(90)), At(2026, 3, 6, 9, 30));
  // Started after hours: the next working day's 08:30 + 2h.
  EXPECT_EQ(AddCounted(c, kHours, At(2026, 3, 5, 19, 0), absl::Hours(2)), At(2026, 3, 6, 10, 30));
  // Friday 17:00 + 2 working hours: Monday 10:00.
  EXPECT_EQ(AddCounted(c, kHours, At(2026, 3, 6, 17, 0), absl::Hours(2)), At(2026, 3, 9, 10, 0));
  // A whole working day is 9 working hours.
  EXPECT_EQ(CountedBetween(c, kHours, At(2026, 3, 5, 0, 0), At(2026, 3, 6, 0, 0)), absl::Hours(9));
}

TEST(CalendarWorkingHours, HoursFromTheCalendar) {
  v1::Calendar proto;
  proto.set_working_hours_start("09:00");
  proto.set_working_hours_end("18:00");
  absl::StatusOr<WorkCalendar> c = CalendarFromProto(proto, Shanghai());
  ASSERT_TRUE(c.ok()) << c.status();
  // Thursday 17:00 + 2 working hours: 1h that day, 1h from 09:00 Friday.
  EXPECT_EQ(AddCounted(*c, kHours, At(2026, 3, 5, 17, 0), absl::Hours(2)), At(2026, 3, 6, 10, 0));
}

TEST(CalendarCounting, CountedBetweenIsTheInverseOfAddCounted) {
  WorkCalendar c = China2026();
  const absl::Time starts[] = {At(2026, 9, 30, 10, 0), At(2026, 10, 3, 9, 0),
                               At(2026, 10, 9, 17, 45), At(2026, 2, 13, 23, 59),
                               At(2026, 12, 31, 8, 0) + absl::Milliseconds(250)};
  const absl::Duration amounts[] = {absl::ZeroDuration(),
                                    absl::Seconds(1),
                                    absl::Minutes(5),
                                    absl::Hours(9),
                                    absl::Hours(24),
                                    absl::Hours(48),
                                    absl::Hours(72) + absl::Minutes(7),
                                    absl::Hours(216)};
  for (v1::Measure m : {kElapsed, kDays, kHours, v1::MEASURE_SAME_SHIFT}) {
    for (absl::Time t : starts) {
      for (absl::Duration d : amounts) {
        absl::Time due = AddCounted(c, m, t, d);
        EXPECT_EQ(CountedBetween(c, m, t, due), d)
            << v1::Measure_Name(m) << " from " << Local(t) << " + " << d;
        // Counting backwards from the due time comes back to the start, or
        // to an instant that differs from it by no counted time.
        absl::Time back = AddCounted(c, m, due, -d);
        EXPECT_EQ(CountedBetween(c, m, back, due), d);
        EXPECT_EQ(CountedBetween(c, m, std::min(back, t), std::max(back, t)), absl::ZeroDuration());
      }
    }
  }
}

TEST(CalendarCounting, NothingIsCountedBackwardsOrInAnEmptySpan) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  EXPECT_EQ(CountedBetween(c, kDays, At(2026, 3, 9, 0, 0), At(2026, 3, 6, 0, 0)),
            absl::ZeroDuration());
  EXPECT_EQ(CountedBetween(c, kDays, At(2026, 3, 7, 1, 0), At(2026, 3, 8, 23, 0)),
            absl::ZeroDuration());  // a weekend
  EXPECT_EQ(CountedBetween(c, kElapsed, At(2026, 3, 7, 1, 0), At(2026, 3, 8, 23, 0)),
            absl::Hours(46));
}

TEST(CalendarCounting, ACalendarWithoutWorkingDaysNeverFallsDue) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  for (absl::CivilDay d(2026, 1, 1); d < absl::CivilDay(2037, 1, 1); ++d) {
    c.holidays.insert(d);
  }
  EXPECT_EQ(AddCounted(c, kDays, At(2026, 3, 6, 10, 0), absl::Hours(24)), absl::InfiniteFuture());
  EXPECT_EQ(AddCounted(c, kElapsed, At(2026, 3, 6, 10, 0), absl::Hours(24)), At(2026, 3, 7, 10, 0));
}

TEST(CalendarCounting, WorkingDaysAreWholeLocalDaysAcrossADstChange) {
  absl::TimeZone jerusalem;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Jerusalem", &jerusalem));
  WorkCalendar c = DefaultCalendar(jerusalem);
  auto at = [&](int month, int day, int hour) {
    return absl::FromCivil(absl::CivilHour(2026, month, day, hour), jerusalem);
  };
  // Israel's clocks go forward on Friday 27 March 2026 02:00, a working day
  // here that is 23 hours long. Thursday 12:00 + 2 working days is still
  // Monday 12:00 local time, not 13:00.
  EXPECT_EQ(AddCounted(c, kDays, at(3, 26, 12), absl::Hours(48)), at(3, 30, 12));
  EXPECT_EQ(CountedBetween(c, kDays, at(3, 26, 12), at(3, 30, 12)), absl::Hours(48));
  EXPECT_EQ(at(3, 28, 0) - at(3, 27, 0), absl::Hours(23));
}

TEST(CalendarShifts, TheShiftThatHoldsAnInstant) {
  WorkCalendar c = DefaultCalendar(Shanghai());
  EXPECT_EQ(ShiftHolding(c, At(2026, 3, 5, 14, 0)),
            (ShiftWindow{"day", At(2026, 3, 5, 8, 0), At(2026, 3, 5, 16, 0)}));
  EXPECT_EQ(ShiftHolding(c, At(2026, 3, 5, 16, 0)),
            (ShiftWindow{"evening", At(2026, 3, 5, 16, 0), At(2026, 3, 6, 0, 0)}));
  EXPECT_EQ(ShiftHolding(c, At(2026, 3, 6, 0, 0)),
            (ShiftWindow{"night", At(2026, 3, 6, 0, 0), At(2026, 3, 6, 8, 0)}));
}

TEST(CalendarShifts, ANightShiftStartedYesterdayHoldsThisMorning) {
  v1::Calendar proto;
  for (auto [name, start, end] :
       {std::tuple{"day", "06:00", "14:00"}, std::tuple{"evening", "14:00", "22:00"},
        std::tuple{"night", "22:00", "06:00"}}) {
    v1::Shift* shift = proto.add_shifts();
    shift->set_name(name);
    shift->set_start(start);
    shift->set_end(end);
  }
  absl::StatusOr<WorkCalendar> c = CalendarFromProto(proto, Shanghai());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(ShiftHolding(*c, At(2026, 3, 6, 3, 0)),
            (ShiftWindow{"night", At(2026, 3, 5, 22, 0), At(2026, 3, 6, 6, 0)}));
  EXPECT_EQ(ShiftHolding(*c, At(2026, 3, 5, 23, 0)),
            (ShiftWindow{"night", At(2026, 3, 5, 22, 0), At(2026, 3, 6, 6, 0)}));
  // New Year's Eve's night shift ends in the next year.
  EXPECT_EQ(ShiftHolding(*c, At(2026, 12, 31, 22, 30)),
            (ShiftWindow{"night", At(2026, 12, 31, 22, 0), At(2027, 1, 1, 6, 0)}));
}

TEST(CalendarProto, RoundTripsWithDatesSortedAndTimesWrittenOut) {
  v1::Calendar proto;
  proto.set_region("GD");
  proto.add_holidays("2026-10-02");
  proto.add_holidays("2026-10-01");
  proto.add_make_up_days("2026-10-10");
  proto.add_make_up_days("2026-09-20");
  absl::StatusOr<WorkCalendar> c = CalendarFromProto(proto, Shanghai());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->region, "GD");
  v1::Calendar out = CalendarToProto(*c);
  EXPECT_EQ(out.region(), "GD");
  EXPECT_THAT(out.holidays(), ElementsAre("2026-10-01", "2026-10-02"));
  EXPECT_THAT(out.make_up_days(), ElementsAre("2026-09-20", "2026-10-10"));
  EXPECT_EQ(out.working_hours_start(), "08:30");
  EXPECT_EQ(out.working_hours_end(), "17:30");
  ASSERT_EQ(out.shifts_size(), 3);
  EXPECT_EQ(out.shifts(1).name(), "evening");
  EXPECT_EQ(out.shifts(1).start(), "16:00");
  EXPECT_EQ(out.shifts(1).end(), "24:00");
  absl::StatusOr<WorkCalendar> again = CalendarFromProto(out, Shanghai());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->holidays, c->holidays);
  EXPECT_EQ(again->make_up_days, c->make_up_days);
  EXPECT_EQ(again->shifts, c->shifts);
}

// Found by fuzzing (tests/fuzz/sla_requests): a date of a year before 1000
// came back as "311-10-01", which the API then refused.
TEST(CalendarProto, ADateOfAnEarlyYearIsWrittenAsItWasGiven) {
  v1::Calendar proto;
  proto.add_holidays("0311-10-01");
  absl::StatusOr<WorkCalendar> c = CalendarFromProto(proto, Shanghai());
  ASSERT_TRUE(c.ok()) << c.status();
  v1::Calendar out = CalendarToProto(*c);
  EXPECT_THAT(out.holidays(), ElementsAre("0311-10-01"));
  EXPECT_TRUE(CalendarFromProto(out, Shanghai()).ok());
}

absl::Status CalendarError(const v1::Calendar& proto) {
  return CalendarFromProto(proto, Shanghai()).status();
}

TEST(CalendarProto, ErrorsNameTheFieldAsTheRequestHasIt) {
  struct Case {
    std::function<void(v1::Calendar&)> edit;
    std::string message;
  };
  auto shifts = [](v1::Calendar& p, std::vector<std::array<const char*, 3>> list) {
    for (const auto& [name, start, end] : list) {
      v1::Shift* s = p.add_shifts();
      s->set_name(name);
      s->set_start(start);
      s->set_end(end);
    }
  };
  const std::vector<Case> cases = {
      {[](v1::Calendar& p) {
         p.add_holidays("2026-10-01");
         p.add_holidays("2026-10-02");
         p.add_holidays("2026-13-01");
       },
       "calendar.holidays[2]: '2026-13-01' is not a date (YYYY-MM-DD)"},
      {[](v1::Calendar& p) { p.add_holidays("2026-02-30"); },
       "calendar.holidays[0]: '2026-02-30' is not a date (YYYY-MM-DD)"},
      {[](v1::Calendar& p) { p.add_holidays("2026-1-1"); },
       "calendar.holidays[0]: '2026-1-1' is not a date (YYYY-MM-DD)"},
      {[](v1::Calendar& p) {
         p.add_holidays("2026-10-01");
         p.add_make_up_days("2026-10-01");
       },
       "calendar.make_up_days[0]: 2026-10-01 is also listed in holidays"},
      {[](v1::Calendar& p) {
         p.add_make_up_days("2026-10-10");
         p.add_make_up_days("2026-10-08");
       },
       "calendar.make_up_days[1]: 2026-10-08 is a weekday, already a working day"},
      {[](v1::Calendar& p) {
         p.add_holidays("2026-10-01");
         p.add_holidays("2026-10-02");
         p.add_holidays("2026-10-01");
       },
       "calendar.holidays[2]: 2026-10-01 is listed twice (also holidays[0])"},
      {[](v1::Calendar& p) {
         p.add_make_up_days("2026-10-10");
         p.add_make_up_days("2026-10-10");
       },
       "calendar.make_up_days[1]: 2026-10-10 is listed twice (also make_up_days[0])"},
      {[](v1::Calendar& p) { p.set_working_hours_start("8h"); },
       "calendar.working_hours_start: '8h' is not a time (HH:MM)"},
      {[](v1::Calendar& p) { p.set_working_hours_end("24:30"); },
       "calendar.working_hours_end: '24:30' is not a time (HH:MM)"},
      {[](v1::Calendar& p) {
         p.set_working_hours_start("18:00");
         p.set_working_hours_end("09:00");
       },
       "calendar.working_hours_start: 18:00 is not before working_hours_end 09:00"},
      {[](v1::Calendar& p) { p.set_working_hours_start("18:00"); },
       "calendar.working_hours_start: 18:00 is not before working_hours_end 17:30"},
      {[&](v1::Calendar& p) {
         shifts(p, {{"day", "00:00", "24:00"}, {"", "08:00", "16:00"}});
       },
       "calendar.shifts[1].name: required"},
      {[&](v1::Calendar& p) {
         shifts(p, {{"day", "08:00", "20:00"}, {"day", "20:00", "08:00"}});
       },
       "calendar.shifts[1].name: 'day' is also the name of shifts[0]"},
      {[&](v1::Calendar& p) {
         shifts(p, {{"day", "8:00", "20:00"}});
       },
       "calendar.shifts[0].start: '8:00' is not a time (HH:MM)"},
      {[&](v1::Calendar& p) {
         shifts(p, {{"day", "08:00", "25:00"}});
       },
       "calendar.shifts[0].end: '25:00' is not a time (HH:MM)"},
      {[&](v1::Calendar& p) {
         shifts(p, {{"day", "08:00", "20:00"}, {"night", "19:00", "08:00"}});
       },
       "calendar.shifts[1]: 19:00-08:00 overlaps shifts[0] 'day' 08:00-20:00"},
      {[&](v1::Calendar& p) {
         shifts(p, {{"day", "08:00", "16:00"}, {"night", "00:00", "08:00"}});
       },
       "calendar.shifts: 16:00-24:00 is in no shift (the shifts must cover the whole day)"},
  };
  for (const Case& c : cases) {
    v1::Calendar proto;
    c.edit(proto);
    absl::Status s = CalendarError(proto);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
}

TEST(CalendarProto, ShiftsMayRunPastMidnightAndOneShiftMayHoldTheDay) {
  v1::Calendar proto;
  v1::Shift* all = proto.add_shifts();
  all->set_name("all");
  all->set_start("08:00");
  all->set_end("08:00");  // a 24-hour shift from 08:00
  absl::StatusOr<WorkCalendar> c = CalendarFromProto(proto, Shanghai());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(ShiftHolding(*c, At(2026, 3, 6, 7, 0)),
            (ShiftWindow{"all", At(2026, 3, 5, 8, 0), At(2026, 3, 6, 8, 0)}));
}

TEST(CalendarFile, TheNationalCalendarOf2026) {
  absl::StatusOr<v1::Calendar> file =
      ParseCalendarFile(ReadSourceFile("deploy/sla/calendar-2026.csv"), "");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_THAT(file->make_up_days(), ElementsAre("2026-01-04", "2026-02-14", "2026-02-28",
                                                "2026-05-09", "2026-09-20", "2026-10-10"));
  WorkCalendar c = China2026();
  // The announced holidays that fall on weekdays, and nothing else, are days off.
  int weekdays_off = 0;
  for (absl::CivilDay d(2026, 1, 1); d < absl::CivilDay(2027, 1, 1); ++d) {
    absl::Weekday w = absl::GetWeekday(d);
    bool weekend = w == absl::Weekday::saturday || w == absl::Weekday::sunday;
    if (!weekend && !IsWorkingDay(c, d)) {
      ++weekdays_off;
    }
  }
  // 元旦 1-2 Jan, 春节 16-20 and 23 Feb, 清明 6 Apr, 劳动节 1, 4 and 5 May,
  // 端午 19 Jun, 中秋 25 Sep, 国庆 1, 2 and 5-7 Oct.
  EXPECT_EQ(weekdays_off, 2 + 6 + 1 + 3 + 1 + 1 + 5);
  EXPECT_FALSE(IsWorkingDay(c, absl::CivilDay(2026, 2, 17)));  // 正月初一
  EXPECT_TRUE(IsWorkingDay(c, absl::CivilDay(2026, 1, 4)));    // a worked Sunday
}

TEST(CalendarFile, ErrorsNameTheLine) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"# 2026\n\n2026-10-01,holiday\n2026-10-02,holiday\n2026-10-03,holyday\n",
       "line 5: 'holyday' is neither holiday nor working"},
      {"2026-10-01,holiday\n2026-13-01,holiday\n",
       "line 2: '2026-13-01' is not a date (YYYY-MM-DD)"},
      {"2026-10-01\n", "line 1: '2026-10-01' is not YYYY-MM-DD,holiday|working[,note]"},
      {"2026-10-01,holiday\n# again\n2026-10-01,working\n",
       "line 3: 2026-10-01 is already listed on line 1"},
      {"2026-10-08,working,Thursday\n", "line 1: 2026-10-08 is a weekday, already a working day"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::Calendar> parsed = ParseCalendarFile(c.text, "GD");
    ASSERT_FALSE(parsed.ok()) << c.message;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(), c.message);
  }
}

TEST(CalendarFile, NotesCommentsBlankLinesAndWindowsLineEnds) {
  absl::StatusOr<v1::Calendar> parsed = ParseCalendarFile(
      "\xEF\xBB\xBF# header\r\n2026-10-01, holiday ,国庆节, first day\r\n\r\n"
      "  2026-10-10,working\r\n",
      "GD");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->region(), "GD");
  EXPECT_THAT(parsed->holidays(), ElementsAre("2026-10-01"));
  EXPECT_THAT(parsed->make_up_days(), ElementsAre("2026-10-10"));
  EXPECT_TRUE(CalendarError(*parsed).ok());
}

}  // namespace
}  // namespace hotline::sla
