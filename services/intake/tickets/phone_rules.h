#pragma once

// Chinese telephone number formats that tickets accept. Pure.

#include "absl/strings/string_view.h"

namespace hotline::intake {

// A mobile number: 11 digits, "1", then 3-9, then 9 digits (13812345678).
bool IsChineseMobile(absl::string_view phone);

// A landline: "0", an area code of 2-3 more digits, an optional '-', a local
// number of 7-8 digits, and an optional extension of 1-6 digits after '-'
// ("010-12345678", "0755-8123456", "02112345678", "010-12345678-123").
// Without the first '-' any split of the digits into area code and local
// number that fits the rule is accepted.
bool IsChineseLandline(absl::string_view phone);

// Either of the two.
inline bool IsChinesePhone(absl::string_view phone) {
  return IsChineseMobile(phone) || IsChineseLandline(phone);
}

}  // namespace hotline::intake
