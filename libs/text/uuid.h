#pragma once

// Whether text is a UUID in its usual form: 36 characters, hex digits in
// groups of 8-4-4-4-12 separated by '-' (either case). The one check for ids
// in requests and events, in every service; and the one maker of new ids.

#include <string>

#include "absl/strings/string_view.h"

namespace hotline::text {

bool IsUuid(absl::string_view text);

// A random version-4 UUID in that form (lower case).
std::string NewUuid();

}  // namespace hotline::text
