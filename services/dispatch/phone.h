#pragma once

// What the dispatch service accepts as a phone number (branch duty phones,
// crew leads, customers named in returns).

#include "absl/strings/string_view.h"

namespace hotline::dispatch {

// A Chinese mobile number (1 and ten more digits), a landline with its area
// code (0, two or three digits, an optional '-', seven or eight digits,
// e.g. 0571-95598000), or a five-digit service number (95598). An optional
// "+86" or "86-" in front of a mobile number is accepted.
bool IsPhoneNumber(absl::string_view phone);

// The rule IsPhoneNumber checks, for error messages.
inline constexpr absl::string_view kPhoneRule =
    "must be a mobile (1xxxxxxxxxx), a landline with area code (0xx-xxxxxxxx) or a service "
    "number (95598)";

}  // namespace hotline::dispatch
