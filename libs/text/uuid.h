#pragma once

// Whether text is a UUID in its usual form: 36 characters, hex digits in
// groups of 8-4-4-4-12 separated by '-' (either case). The one check for ids
// in requests and events, in every service.

#include "absl/strings/string_view.h"

namespace hotline::text {

bool IsUuid(absl::string_view text);

}  // namespace hotline::text
