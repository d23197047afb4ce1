#pragma once

// Masking a person's name and phone for readers who may not see them (a
// tip-off reporter, shown unmasked to the discipline role only). Pure.

#include <string>

#include "absl/strings/string_view.h"

namespace hotline::text {

// The first character, then one '*' per further character: "张三丰" -> "张**".
// A one-character name becomes "*" (showing it would show all of it); "" stays "".
std::string MaskName(absl::string_view name);

// The first 3 and the last 4 characters, '*' for each one between:
// "13812345678" -> "138****5678", "010-12345678" -> "010*****5678". Numbers of
// fewer than 8 characters are all '*'; "" stays "".
std::string MaskPhone(absl::string_view phone);

}  // namespace hotline::text
