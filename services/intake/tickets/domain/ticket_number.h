#pragma once

// Readable ticket numbers: <prefix>-<yyyymmdd>-<counter>, e.g.
// "GD-20261123-000042". The day is the creation day in the utility's time
// zone (setting --ticket-number-time-zone). The counter runs over all
// tickets and never restarts (the store takes it from a sequence, which no
// create has to wait for); it is zero-padded to at least 6 digits and
// widens as it grows, never cut, so a number is unique by its counter alone.
// Pure.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace hotline::intake {

absl::CivilDay NumberingDay(absl::Time created_at, absl::TimeZone zone);

std::string FormatTicketNumber(absl::string_view prefix, absl::CivilDay day, int64_t sequence);

}  // namespace hotline::intake
