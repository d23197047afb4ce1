#pragma once

// SQL for the working-day calendars (sla.calendars: hours and shifts;
// sla.calendar_days: holidays and make-up days), inside the caller's
// transaction. Stores and returns the API's hotline.sla.v1.Calendar as it was
// validated (calendar.h CalendarFromProto). Never throws.

#include <optional>
#include <pqxx/transaction>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "hotline/sla/v1/sla.pb.h"

namespace hotline::sla::store {

// The region's own calendar; nullopt when it has neither a row nor days.
absl::StatusOr<std::optional<v1::Calendar>> LoadCalendar(pqxx::work& tx, const std::string& region);

// The regions that have a calendar of their own (a row or days); "" is the
// national calendar's.
absl::StatusOr<std::set<std::string>> CalendarRegions(pqxx::work& tx);

// Replaces the region's calendar as a whole.
absl::Status ReplaceCalendar(pqxx::work& tx, const v1::Calendar& calendar, absl::Time at,
                             const std::string& by);

// Adds the days of `calendar` (a year's file) to its region, replacing those
// dates; hours, shifts and other dates stay.
absl::Status MergeCalendarDays(pqxx::work& tx, const v1::Calendar& calendar,
                               const std::string& note);

}  // namespace hotline::sla::store
