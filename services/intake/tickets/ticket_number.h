#pragma once

// Readable ticket numbers: <prefix>-<yyyymmdd>-<sequence of the day, at
// least 6 digits>, e.g. "GD-20261123-000042". The day is the creation day in
// the utility's time zone (setting --ticket-number-time-zone), so numbers
// restart each local midnight. Pure.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace hotline::intake {

absl::CivilDay NumberingDay(absl::Time created_at, absl::TimeZone zone);

std::string FormatTicketNumber(absl::string_view prefix, absl::CivilDay day, int64_t sequence);

}  // namespace hotline::intake
