#pragma once

// The working-day calendar of a region, and time counted on it: the days
// that count (weekdays, less public holidays, plus make-up working days),
// the working hours of a day and the shifts of a day. Pure: the time comes
// in as arguments.
//
// Days, working hours and shifts are local civil times of the calendar's
// zone. Time counted by working days or working hours is counted on the
// local wall clock (a working day is 00:00-24:00 local, 24h of counted time
// even on a day a DST change makes 23h or 25h long); the instants that come
// out are found with absl::FromCivil, so a day boundary is always a local
// midnight. Elapsed time is real time.

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "hotline/sla/v1/sla.pb.h"

namespace hotline::sla {

// A shift of a day, in minutes after local midnight. An end at or before the
// start runs past midnight; 1440 is "24:00".
struct ShiftSpan {
  std::string name;
  int start_minute = 0;
  int end_minute = 0;

  bool operator==(const ShiftSpan& other) const = default;
};

struct WorkCalendar {
  std::string region;
  std::set<absl::CivilDay> holidays;      // days off even on a weekday
  std::set<absl::CivilDay> make_up_days;  // worked Saturdays and Sundays (调休)
  int working_start_minute = 8 * 60 + 30;
  int working_end_minute = 17 * 60 + 30;
  // Default: day 08:00-16:00, evening 16:00-24:00, night 00:00-08:00.
  std::vector<ShiftSpan> shifts;
  absl::TimeZone zone;  // the service's zone (Asia/Shanghai by default)
};

// No holidays, the default working hours and shifts.
WorkCalendar DefaultCalendar(absl::TimeZone zone);

// Monday to Friday unless a holiday; Saturday and Sunday only when a make-up
// day.
bool IsWorkingDay(const WorkCalendar& calendar, absl::CivilDay day);

// The instant at which the time counted from `from` under `measure` reaches
// `amount`:
//  MEASURE_ELAPSED: from + amount.
//  MEASURE_WORKING_DAYS: only working days count, each whole (00:00-24:00
//    local time): 48h is two working days. Started Friday 10:00 with 24h:
//    Monday 10:00 when Monday is a working day. Started on a day off:
//    counting begins at the next working day's midnight.
//  MEASURE_WORKING_HOURS: only [working start, working end) of working days.
//  MEASURE_SAME_SHIFT, MEASURE_UNSPECIFIED: as elapsed (a same-shift limit is
//    turned into an elapsed one first, see TermsAtStart).
// The earliest such instant: an amount that ends exactly at the end of a
// working day gives that day's end (the next midnight), not the next working
// day's start. A zero amount gives `from`. A negative amount counts backwards
// (the latest instant t <= from with CountedBetween(t, from) == -amount), so
// that a clock that had used more than its limit before a pause stays as
// overdue after it resumes. No working day within 3660 days in the direction
// of counting: absl::InfiniteFuture() (absl::InfinitePast() backwards).
absl::Time AddCounted(const WorkCalendar& calendar, v1::Measure measure, absl::Time from,
                      absl::Duration amount);

// The time counted in [from, to) under `measure`; zero when to <= from.
// CountedBetween(c, m, t, AddCounted(c, m, t, d)) == d for d >= 0 and a
// finite result.
absl::Duration CountedBetween(const WorkCalendar& calendar, v1::Measure measure, absl::Time from,
                              absl::Time to);

struct ShiftWindow {
  std::string name;
  absl::Time starts_at;
  absl::Time ends_at;

  bool operator==(const ShiftWindow& other) const = default;
};

// The calendar shift that holds `at`: a night shift 22:00-06:00 started
// yesterday holds 03:00 today. A calendar without shifts covering `at` (not
// one CalendarFromProto makes) gives the whole local day, named "".
ShiftWindow ShiftHolding(const WorkCalendar& calendar, absl::Time at);

// A calendar from the API, validated. INVALID_ARGUMENT naming the field as
// the request has it, prefixed "calendar.": dates that are not YYYY-MM-DD,
// a date listed twice in one list or in both, a make-up day on a weekday,
// working hours that are not HH:MM or whose start is not before their end,
// shifts without a name or with a name used twice, shift times that are not
// HH:MM (00:00 to 24:00), shifts that overlap or leave part of the day
// uncovered. Empty working hours and an empty shift list are the defaults.
absl::StatusOr<WorkCalendar> CalendarFromProto(const v1::Calendar& proto, absl::TimeZone zone);

// Dates sorted, working hours and shifts written out as "HH:MM".
v1::Calendar CalendarToProto(const WorkCalendar& calendar);

// A year's holidays from a file (deploy/sla/calendar-<year>.csv): lines
// "YYYY-MM-DD,holiday|working[,note]"; '#' comments and blank lines are
// ignored. INVALID_ARGUMENT naming the line: "line 7: 'holyday' is neither
// holiday nor working", a date that is not one, a date listed twice, a
// working day on a weekday. The calendar has `region` set; it goes through
// CalendarFromProto like one from the API.
absl::StatusOr<v1::Calendar> ParseCalendarFile(absl::string_view text, const std::string& region);

// "YYYY-MM-DD" exactly, a real date.
bool ParseDate(absl::string_view text, absl::CivilDay* day);
// "HH:MM", 00:00 to 24:00, as minutes after midnight.
bool ParseMinuteOfDay(absl::string_view text, int* minute);
std::string FormatMinuteOfDay(int minute);

}  // namespace hotline::sla
