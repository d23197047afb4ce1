#include "services/intake/tickets/domain/ticket_number.h"

#include "absl/strings/str_format.h"

namespace hotline::intake {

absl::CivilDay NumberingDay(absl::Time created_at, absl::TimeZone zone) {
  return absl::ToCivilDay(created_at, zone);
}

std::string FormatTicketNumber(absl::string_view prefix, absl::CivilDay day, int64_t sequence) {
  return absl::StrFormat("%s-%04d%02d%02d-%06d", prefix, day.year(), day.month(), day.day(),
                         sequence);
}

}  // namespace hotline::intake
