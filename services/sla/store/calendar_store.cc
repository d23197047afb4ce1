#include "services/sla/store/calendar_store.h"

#include <pqxx/pqxx>
#include <vector>

#include "absl/strings/str_split.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
#include "libs/pg/sql_values.h"

namespace hotline::sla::store {
namespace {

constexpr char kSelectCalendar[] =
    "SELECT working_hours_start, working_hours_end, array_to_string(shifts, '|') "
    "FROM sla.calendars WHERE region = $1";
constexpr char kSelectDays[] =
    "SELECT to_char(day, 'YYYY-MM-DD'), working FROM sla.calendar_days WHERE region = $1 "
    "ORDER BY day";
constexpr char kSelectRegions[] =
    "SELECT region FROM sla.calendars UNION SELECT DISTINCT region FROM sla.calendar_days";
constexpr char kLockRegion[] =
    "SELECT pg_advisory_xact_lock(hashtextextended('hotline.sla.calendar:' || $1, 0))";
constexpr char kDeleteDays[] = "DELETE FROM sla.calendar_days WHERE region = $1";
constexpr char kUpsertDays[] =
    "INSERT INTO sla.calendar_days (region, day, working, note) "
    "SELECT $1, d::date, $3, $4 FROM unnest($2::text[]) AS d "
    "ON CONFLICT (region, day) DO UPDATE SET working = EXCLUDED.working, note = EXCLUDED.note";
constexpr char kUpsertCalendar[] =
    "INSERT INTO sla.calendars (region, working_hours_start, working_hours_end, shifts, "
    "  updated_at, updated_by) VALUES ($1, $2, $3, $4::text[], " HOTLINE_PG_TIME("$5") ", $6) "
    "ON CONFLICT (region) DO UPDATE SET working_hours_start = EXCLUDED.working_hours_start, "
    "  working_hours_end = EXCLUDED.working_hours_end, shifts = EXCLUDED.shifts, "
    "  updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by";

void AddDays(pqxx::work& tx, const v1::Calendar& calendar, const std::string& note) {
  const std::vector<std::string> holidays(calendar.holidays().begin(), calendar.holidays().end());
  const std::vector<std::string> make_up(calendar.make_up_days().begin(),
                                         calendar.make_up_days().end());
  pg::Exec0(tx, kUpsertDays, calendar.region(), pg::TextArray(holidays), false, note);
  pg::Exec0(tx, kUpsertDays, calendar.region(), pg::TextArray(make_up), true, note);
}

}  // namespace

absl::StatusOr<std::optional<v1::Calendar>> LoadCalendar(pqxx::work& tx,
                                                         const std::string& region) {
  return pg::Guarded("reading a calendar", [&]() -> absl::StatusOr<std::optional<v1::Calendar>> {
    v1::Calendar calendar;
    calendar.set_region(region);
    pqxx::result row = pg::Exec(tx, kSelectCalendar, region);
    pqxx::result days = pg::Exec(tx, kSelectDays, region);
    if (row.empty() && days.empty()) {
      return std::optional<v1::Calendar>();
    }
    if (!row.empty()) {
      calendar.set_working_hours_start(row[0][0].as<std::string>());
      calendar.set_working_hours_end(row[0][1].as<std::string>());
      const std::string shifts = row[0][2].is_null() ? "" : row[0][2].as<std::string>();
      for (absl::string_view text : absl::StrSplit(shifts, '|', absl::SkipEmpty())) {
        std::vector<std::string> parts = absl::StrSplit(text, ' ', absl::SkipEmpty());
        if (parts.size() == 3) {
          v1::Shift* shift = calendar.add_shifts();
          shift->set_name(parts[0]);
          shift->set_start(parts[1]);
          shift->set_end(parts[2]);
        }
      }
    }
    for (const pqxx::row& day : days) {
      if (day[1].as<bool>()) {
        calendar.add_make_up_days(day[0].as<std::string>());
      } else {
        calendar.add_holidays(day[0].as<std::string>());
      }
    }
    return std::optional<v1::Calendar>(std::move(calendar));
  });
}

absl::StatusOr<std::set<std::string>> CalendarRegions(pqxx::work& tx) {
  return pg::Guarded("reading the calendars' regions",
                     [&]() -> absl::StatusOr<std::set<std::string>> {
                       std::set<std::string> regions;
                       for (const pqxx::row& row : pg::Exec(tx, kSelectRegions)) {
                         regions.insert(row[0].as<std::string>());
                       }
                       return regions;
                     });
}

absl::Status ReplaceCalendar(pqxx::work& tx, const v1::Calendar& calendar, absl::Time at,
                             const std::string& by) {
  return pg::Guarded("saving a calendar", [&]() -> absl::Status {
    pg::Exec(tx, kLockRegion, calendar.region());
    pg::Exec0(tx, kDeleteDays, calendar.region());
    AddDays(tx, calendar, "");
    std::vector<std::string> shifts;
    for (const v1::Shift& shift : calendar.shifts()) {
      shifts.push_back(shift.name() + " " + shift.start() + " " + shift.end());
    }
    pg::Exec0(tx, kUpsertCalendar, calendar.region(), calendar.working_hours_start(),
              calendar.working_hours_end(), pg::TextArray(shifts), pg::MicrosParam(at), by);
    return absl::OkStatus();
  });
}

absl::Status MergeCalendarDays(pqxx::work& tx, const v1::Calendar& calendar,
                               const std::string& note) {
  return pg::Guarded("adding calendar days", [&]() -> absl::Status {
    pg::Exec(tx, kLockRegion, calendar.region());
    AddDays(tx, calendar, note);
    return absl::OkStatus();
  });
}

}  // namespace hotline::sla::store
