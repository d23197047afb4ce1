#pragma once

// The idempotency key a create request carries, one rule for every service:
// 1 to 128 printable ASCII characters without spaces (0x21-0x7E), so it can
// be scoped, logged and stored as it is.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hotline::text {

inline constexpr size_t kMaxIdempotencyKey = 128;

// OK, or INVALID_ARGUMENT naming `field`: "<field>: required", "<field>: at
// most <max> characters", "<field>: printable ASCII without spaces only".
absl::Status CheckIdempotencyKey(absl::string_view field, absl::string_view key,
                                 size_t max = kMaxIdempotencyKey);

}  // namespace hotline::text
