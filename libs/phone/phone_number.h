#pragma once

// The telephone numbers the hotline accepts, one set of rules for every
// service (customers' phones in tickets, branches' duty phones, crew leads,
// customers named in returns). Pure.
//
//   mobile    11 digits: 1, then 3-9, then 9 digits (13812345678); "+86",
//             "+86 " or "86-" may stand in front
//   landline  0, an area code of 2-3 more digits, an optional '-', a local
//             number of 7-8 digits, and an optional extension of 1-6 digits
//             after '-' (010-12345678, 0755-8123456, 02112345678,
//             010-12345678-123); without the first '-' any split of the
//             digits that fits is accepted
//   service   a five-digit public service number: 95xxx (95598, the power
//             hotline) or 12xxx (12345, a city's citizen line)
//
// Nothing else: no spaces, letters or other separators.

#include "absl/strings/string_view.h"

namespace hotline::phone {

enum class PhoneKind { kNone, kMobile, kLandline, kService };

PhoneKind KindOf(absl::string_view phone);

// What a customer can be called back on: a mobile or a landline.
inline bool IsPersonalPhone(absl::string_view phone) {
  PhoneKind kind = KindOf(phone);
  return kind == PhoneKind::kMobile || kind == PhoneKind::kLandline;
}

// Any of the three kinds (a branch's duty phone may be a service number).
inline bool IsAnyPhone(absl::string_view phone) { return KindOf(phone) != PhoneKind::kNone; }

// The rules, for error messages: "must be a mobile (1xxxxxxxxxx) or a
// landline with area code (0xx-xxxxxxxx)".
inline constexpr absl::string_view kPersonalPhoneRule =
    "must be a mobile (1xxxxxxxxxx) or a landline with area code (0xx-xxxxxxxx[-ext])";
inline constexpr absl::string_view kAnyPhoneRule =
    "must be a mobile (1xxxxxxxxxx), a landline with area code (0xx-xxxxxxxx[-ext]) or a "
    "service number (95598)";

}  // namespace hotline::phone
