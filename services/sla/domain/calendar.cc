#include "services/sla/domain/calendar.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace hotline::sla {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
// How far counting looks for a working day before it gives up.
constexpr int kSearchDays = 3660;

const absl::CivilSecond kWallEpoch(1970, 1, 1, 0, 0, 0);
const absl::CivilDay kDayEpoch(1970, 1, 1);
constexpr absl::Duration kWallDay = absl::Hours(24);

// "Wall" positions: the local civil time of an instant, as a duration since
// 1970-01-01 00:00 local. Counting by working days and hours happens on this
// scale, where every day is 24h long; FromWall turns a position back into an
// instant with absl::FromCivil (a position inside a DST gap becomes the
// instant the gap ends at).
absl::Duration ToWall(absl::Time t, absl::TimeZone zone) {
  absl::Duration since_epoch = t - absl::UnixEpoch();
  absl::Duration subsecond = since_epoch - absl::Floor(since_epoch, absl::Seconds(1));
  return absl::Seconds(absl::ToCivilSecond(t, zone) - kWallEpoch) + subsecond;
}

absl::Time FromWall(absl::Duration wall, absl::TimeZone zone) {
  absl::Duration whole = absl::Floor(wall, absl::Seconds(1));
  absl::Duration rest;
  int64_t seconds = absl::IDivDuration(whole, absl::Seconds(1), &rest);
  return absl::FromCivil(kWallEpoch + seconds, zone) + (wall - whole);
}

absl::CivilDay WallDay(absl::Duration wall) {
  absl::Duration rest;
  return kDayEpoch + absl::IDivDuration(absl::Floor(wall, kWallDay), kWallDay, &rest);
}

absl::Duration DayStart(absl::CivilDay day) { return kWallDay * (day - kDayEpoch); }

bool IsCountedMeasure(v1::Measure measure) {
  return measure == v1::MEASURE_WORKING_DAYS || measure == v1::MEASURE_WORKING_HOURS;
}

// The part of `day` that counts under a counted measure, in wall positions;
// false when none of it does.
bool CountedSpan(const WorkCalendar& calendar, v1::Measure measure, absl::CivilDay day,
                 absl::Duration* begin, absl::Duration* end) {
  if (!IsWorkingDay(calendar, day)) {
    return false;
  }
  absl::Duration start = DayStart(day);
  if (measure == v1::MEASURE_WORKING_HOURS) {
    *begin = start + absl::Minutes(calendar.working_start_minute);
    *end = start + absl::Minutes(calendar.working_end_minute);
  } else {
    *begin = start;
    *end = start + kWallDay;
  }
  return *begin < *end;
}

absl::Time CountForward(const WorkCalendar& calendar, v1::Measure measure, absl::Time from,
                        absl::Duration amount) {
  const absl::Duration wall = ToWall(from, calendar.zone);
  absl::Duration remaining = amount;
  int idle_days = 0;
  for (absl::CivilDay day = WallDay(wall);; ++day) {
    absl::Duration begin, end;
    if (!CountedSpan(calendar, measure, day, &begin, &end)) {
      if (++idle_days > kSearchDays) {
        return absl::InfiniteFuture();
      }
      continue;
    }
    idle_days = 0;
    begin = std::max(begin, wall);
    if (begin >= end) {
      continue;
    }
    if (remaining <= end - begin) {
      return std::max(from, FromWall(begin + remaining, calendar.zone));
    }
    remaining -= end - begin;
  }
}

absl::Time CountBackward(const WorkCalendar& calendar, v1::Measure measure, absl::Time from,
                         absl::Duration amount) {
  const absl::Duration wall = ToWall(from, calendar.zone);
  absl::Duration remaining = amount;
  int idle_days = 0;
  for (absl::CivilDay day = WallDay(wall);; --day) {
    absl::Duration begin, end;
    if (!CountedSpan(calendar, measure, day, &begin, &end)) {
      if (++idle_days > kSearchDays) {
        return absl::InfinitePast();
      }
      continue;
    }
    idle_days = 0;
    end = std::min(end, wall);
    if (begin >= end) {
      continue;
    }
    if (remaining <= end - begin) {
      return std::min(from, FromWall(end - remaining, calendar.zone));
    }
    remaining -= end - begin;
  }
}

bool AllDigits(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); });
}

int Number(absl::string_view digits) {
  int n = 0;
  for (char c : digits) {
    n = n * 10 + (c - '0');
  }
  return n;
}

bool IsWeekend(absl::CivilDay day) {
  absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

// "YYYY-MM-DD" as ParseDate reads it: four digits of year even before 1000
// (absl::FormatCivilTime writes "311-10-01", which ParseDate refuses).
std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

// Parses the dates of one list of the calendar into `days`.
absl::Status ParseDays(const google::protobuf::RepeatedPtrField<std::string>& texts,
                       absl::string_view list, std::set<absl::CivilDay>* days,
                       std::map<absl::CivilDay, int>* index_of) {
  for (int i = 0; i < texts.size(); ++i) {
    std::string field = absl::StrCat("calendar.", list, "[", i, "]");
    absl::CivilDay day;
    if (!ParseDate(texts[i], &day)) {
      return Invalid(field, absl::StrCat("'", texts[i], "' is not a date (YYYY-MM-DD)"));
    }
    auto [it, added] = index_of->emplace(day, i);
    if (!added) {
      return Invalid(field, absl::StrCat(FormatDay(day), " is listed twice (also ", list, "[",
                                         it->second, "])"));
    }
    days->insert(day);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ParseTimeField(absl::string_view field, absl::string_view text) {
  int minute = 0;
  if (!ParseMinuteOfDay(text, &minute)) {
    return Invalid(field, absl::StrCat("'", text, "' is not a time (HH:MM)"));
  }
  return minute;
}

std::string FormatSpan(int start_minute, int end_minute) {
  return absl::StrCat(FormatMinuteOfDay(start_minute), "-", FormatMinuteOfDay(end_minute));
}

// The minutes of a day a shift covers, as [first, last) pieces.
std::vector<std::pair<int, int>> ShiftMinutes(const ShiftSpan& shift) {
  if (shift.end_minute > shift.start_minute) {
    return {{shift.start_minute, shift.end_minute}};
  }
  return {{shift.start_minute, kMinutesPerDay}, {0, shift.end_minute}};
}

absl::Status CheckShiftCoverage(const std::vector<ShiftSpan>& shifts) {
  std::array<int, kMinutesPerDay> owner;
  owner.fill(-1);
  for (size_t i = 0; i < shifts.size(); ++i) {
    for (auto [first, last] : ShiftMinutes(shifts[i])) {
      for (int minute = first; minute < last; ++minute) {
        if (owner[minute] >= 0) {
          const ShiftSpan& other = shifts[owner[minute]];
          return Invalid(absl::StrCat("calendar.shifts[", i, "]"),
                         absl::StrCat(FormatSpan(shifts[i].start_minute, shifts[i].end_minute),
                                      " overlaps shifts[", owner[minute], "] '", other.name, "' ",
                                      FormatSpan(other.start_minute, other.end_minute)));
        }
        owner[minute] = static_cast<int>(i);
      }
    }
  }
  for (int minute = 0; minute < kMinutesPerDay; ++minute) {
    if (owner[minute] < 0) {
      int last = minute;
      while (last < kMinutesPerDay && owner[last] < 0) {
        ++last;
      }
      return Invalid("calendar.shifts",
                     absl::StrCat(FormatSpan(minute, last),
                                  " is in no shift (the shifts must cover the whole day)"));
    }
  }
  return absl::OkStatus();
}

std::vector<ShiftSpan> DefaultShifts() {
  return {{"day", 8 * 60, 16 * 60}, {"evening", 16 * 60, 24 * 60}, {"night", 0, 8 * 60}};
}

}  // namespace

bool ParseDate(absl::string_view text, absl::CivilDay* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(0, 4)) ||
      !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2))) {
    return false;
  }
  int year = Number(text.substr(0, 4));
  int month = Number(text.substr(5, 2));
  int day_of_month = Number(text.substr(8, 2));
  absl::CivilDay parsed(year, month, day_of_month);  // normalizes: 02-30 becomes 03-02
  if (parsed.year() != year || parsed.month() != month || parsed.day() != day_of_month) {
    return false;
  }
  *day = parsed;
  return true;
}

bool ParseMinuteOfDay(absl::string_view text, int* minute) {
  if (text.size() != 5 || text[2] != ':' || !AllDigits(text.substr(0, 2)) ||
      !AllDigits(text.substr(3, 2))) {
    return false;
  }
  int hours = Number(text.substr(0, 2));
  int minutes = Number(text.substr(3, 2));
  if (hours > 24 || minutes > 59 || (hours == 24 && minutes != 0)) {
    return false;
  }
  *minute = hours * 60 + minutes;
  return true;
}

std::string FormatMinuteOfDay(int minute) {
  return absl::StrFormat("%02d:%02d", minute / 60, minute % 60);
}

WorkCalendar DefaultCalendar(absl::TimeZone zone) {
  WorkCalendar calendar;
  calendar.shifts = DefaultShifts();
  calendar.zone = zone;
  return calendar;
}

bool IsWorkingDay(const WorkCalendar& calendar, absl::CivilDay day) {
  if (IsWeekend(day)) {
    return calendar.make_up_days.count(day) > 0;
  }
  return calendar.holidays.count(day) == 0;
}

absl::Time AddCounted(const WorkCalendar& calendar, v1::Measure measure, absl::Time from,
                      absl::Duration amount) {
  if (!IsCountedMeasure(measure)) {
    return from + amount;
  }
  if (from == absl::InfiniteFuture() || from == absl::InfinitePast() ||
      amount == absl::ZeroDuration()) {
    return from;
  }
  if (amount == absl::InfiniteDuration()) {
    return absl::InfiniteFuture();
  }
  if (amount == -absl::InfiniteDuration()) {
    return absl::InfinitePast();
  }
  if (amount > absl::ZeroDuration()) {
    return CountForward(calendar, measure, from, amount);
  }
  return CountBackward(calendar, measure, from, -amount);
}

absl::Duration CountedBetween(const WorkCalendar& calendar, v1::Measure measure, absl::Time from,
                              absl::Time to) {
  if (to <= from) {
    return absl::ZeroDuration();
  }
  if (!IsCountedMeasure(measure)) {
    return to - from;
  }
  if (from == absl::InfinitePast() || to == absl::InfiniteFuture()) {
    return absl::InfiniteDuration();
  }
  const absl::Duration wall_from = ToWall(from, calendar.zone);
  const absl::Duration wall_to = ToWall(to, calendar.zone);
  absl::Duration counted;
  for (absl::CivilDay day = WallDay(wall_from); DayStart(day) < wall_to; ++day) {
    absl::Duration begin, end;
    if (!CountedSpan(calendar, measure, day, &begin, &end)) {
      continue;
    }
    begin = std::max(begin, wall_from);
    end = std::min(end, wall_to);
    if (begin < end) {
      counted += end - begin;
    }
  }
  return counted;
}

ShiftWindow ShiftHolding(const WorkCalendar& calendar, absl::Time at) {
  const absl::Duration wall = ToWall(at, calendar.zone);
  const absl::CivilDay day = WallDay(wall);
  const absl::Duration today = DayStart(day);
  const absl::Duration position = wall - today;
  auto window = [&](const std::string& name, absl::Duration starts, absl::Duration ends) {
    return ShiftWindow{name, FromWall(starts, calendar.zone), FromWall(ends, calendar.zone)};
  };
  for (const ShiftSpan& shift : calendar.shifts) {
    absl::Duration start = absl::Minutes(shift.start_minute % kMinutesPerDay);
    absl::Duration end = absl::Minutes(shift.end_minute);
    if (end > start) {
      if (position >= start && position < end) {
        return window(shift.name, today + start, today + end);
      }
      continue;
    }
    // Runs past midnight: started today, or started yesterday.
    if (position >= start) {
      return window(shift.name, today + start, today + kWallDay + end);
    }
    if (position < end) {
      return window(shift.name, today - kWallDay + start, today + end);
    }
  }
  return window("", today, today + kWallDay);
}

absl::StatusOr<WorkCalendar> CalendarFromProto(const v1::Calendar& proto, absl::TimeZone zone) {
  WorkCalendar calendar = DefaultCalendar(zone);
  calendar.region = proto.region();

  std::map<absl::CivilDay, int> holiday_index;
  if (absl::Status s = ParseDays(proto.holidays(), "holidays", &calendar.holidays, &holiday_index);
      !s.ok()) {
    return s;
  }
  std::map<absl::CivilDay, int> make_up_index;
  if (absl::Status s =
          ParseDays(proto.make_up_days(), "make_up_days", &calendar.make_up_days, &make_up_index);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < proto.make_up_days_size(); ++i) {
    absl::CivilDay day;
    ParseDate(proto.make_up_days(i), &day);  // parsed above
    std::string field = absl::StrCat("calendar.make_up_days[", i, "]");
    if (calendar.holidays.count(day) > 0) {
      return Invalid(field, absl::StrCat(FormatDay(day), " is also listed in holidays"));
    }
    if (!IsWeekend(day)) {
      return Invalid(field, absl::StrCat(FormatDay(day), " is a weekday, already a working day"));
    }
  }

  if (!proto.working_hours_start().empty()) {
    absl::StatusOr<int> start =
        ParseTimeField("calendar.working_hours_start", proto.working_hours_start());
    if (!start.ok()) {
      return start.status();
    }
    calendar.working_start_minute = *start;
  }
  if (!proto.working_hours_end().empty()) {
    absl::StatusOr<int> end =
        ParseTimeField("calendar.working_hours_end", proto.working_hours_end());
    if (!end.ok()) {
      return end.status();
    }
    calendar.working_end_minute = *end;
  }
  if (calendar.working_start_minute >= calendar.working_end_minute) {
    return Invalid("calendar.working_hours_start",
                   absl::StrCat(FormatMinuteOfDay(calendar.working_start_minute),
                                " is not before working_hours_end ",
                                FormatMinuteOfDay(calendar.working_end_minute)));
  }

  if (proto.shifts_size() > 0) {
    std::vector<ShiftSpan> shifts;
    std::map<std::string, int> name_index;
    for (int i = 0; i < proto.shifts_size(); ++i) {
      const v1::Shift& shift = proto.shifts(i);
      std::string field = absl::StrCat("calendar.shifts[", i, "]");
      if (shift.name().empty()) {
        return Invalid(field + ".name", "required");
      }
      auto [it, added] = name_index.emplace(shift.name(), i);
      if (!added) {
        return Invalid(
            field + ".name",
            absl::StrCat("'", shift.name(), "' is also the name of shifts[", it->second, "]"));
      }
      absl::StatusOr<int> start = ParseTimeField(field + ".start", shift.start());
      if (!start.ok()) {
        return start.status();
      }
      absl::StatusOr<int> end = ParseTimeField(field + ".end", shift.end());
      if (!end.ok()) {
        return end.status();
      }
      // "24:00" as a start is the midnight that begins the day.
      shifts.push_back({shift.name(), *start % kMinutesPerDay, *end});
    }
    if (absl::Status s = CheckShiftCoverage(shifts); !s.ok()) {
      return s;
    }
    calendar.shifts = std::move(shifts);
  }
  return calendar;
}

v1::Calendar CalendarToProto(const WorkCalendar& calendar) {
  v1::Calendar proto;
  proto.set_region(calendar.region);
  for (absl::CivilDay day : calendar.holidays) {
    proto.add_holidays(FormatDay(day));
  }
  for (absl::CivilDay day : calendar.make_up_days) {
    proto.add_make_up_days(FormatDay(day));
  }
  proto.set_working_hours_start(FormatMinuteOfDay(calendar.working_start_minute));
  proto.set_working_hours_end(FormatMinuteOfDay(calendar.working_end_minute));
  for (const ShiftSpan& span : calendar.shifts) {
    v1::Shift* shift = proto.add_shifts();
    shift->set_name(span.name);
    shift->set_start(FormatMinuteOfDay(span.start_minute));
    shift->set_end(FormatMinuteOfDay(span.end_minute));
  }
  return proto;
}

absl::StatusOr<v1::Calendar> ParseCalendarFile(absl::string_view text, const std::string& region) {
  v1::Calendar calendar;
  calendar.set_region(region);
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) {  // a byte order mark, as spreadsheets write it
    text.remove_prefix(3);
  }
  std::map<absl::CivilDay, int> line_of;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++number;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::string where = absl::StrCat("line ", number);
    std::vector<absl::string_view> fields = absl::StrSplit(line, absl::MaxSplits(',', 2));
    if (fields.size() < 2) {
      return Invalid(where, absl::StrCat("'", line, "' is not YYYY-MM-DD,holiday|working[,note]"));
    }
    absl::string_view date = absl::StripAsciiWhitespace(fields[0]);
    absl::string_view kind = absl::StripAsciiWhitespace(fields[1]);
    absl::CivilDay day;
    if (!ParseDate(date, &day)) {
      return Invalid(where, absl::StrCat("'", date, "' is not a date (YYYY-MM-DD)"));
    }
    if (kind != "holiday" && kind != "working") {
      return Invalid(where, absl::StrCat("'", kind, "' is neither holiday nor working"));
    }
    auto [it, added] = line_of.emplace(day, number);
    if (!added) {
      return Invalid(where,
                     absl::StrCat(FormatDay(day), " is already listed on line ", it->second));
    }
    if (kind == "holiday") {
      calendar.add_holidays(FormatDay(day));
    } else {
      if (!IsWeekend(day)) {
        return Invalid(where, absl::StrCat(FormatDay(day), " is a weekday, already a working day"));
      }
      calendar.add_make_up_days(FormatDay(day));
    }
  }
  return calendar;
}

}  // namespace hotline::sla
