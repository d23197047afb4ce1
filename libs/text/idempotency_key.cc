#include "libs/text/idempotency_key.h"

#include "absl/strings/str_cat.h"

namespace hotline::text {

absl::Status CheckIdempotencyKey(absl::string_view field, absl::string_view key, size_t max) {
  if (key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (key.size() > max) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": at most ", max, " characters"));
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": printable ASCII without spaces only"));
    }
  }
  return absl::OkStatus();
}

}  // namespace hotline::text
