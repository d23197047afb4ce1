#include "services/intake/tickets/domain/ticket_cursor.h"

#include <cstdint>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/intake/tickets/domain/ticket_validation.h"

namespace hotline::intake {
namespace {

constexpr char kVersion[] = "t1";
constexpr char kHistoryVersion[] = "h1";

}  // namespace

std::string EncodeCursor(const PageCursor& cursor) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kVersion, ":", absl::ToUnixMicros(cursor.created_at), ":", cursor.ticket_id));
}

absl::StatusOr<std::optional<PageCursor>> DecodeCursor(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  const absl::Status malformed = absl::InvalidArgumentError("page.cursor: malformed");
  std::string plain;
  if (!absl::WebSafeBase64Unescape(text, &plain)) {
    return malformed;
  }
  std::vector<std::string> parts = absl::StrSplit(plain, ':');
  int64_t micros = 0;
  if (parts.size() != 3 || parts[0] != kVersion || !absl::SimpleAtoi(parts[1], &micros) ||
      !IsUuid(parts[2])) {
    return malformed;
  }
  PageCursor cursor;
  cursor.created_at = absl::FromUnixMicros(micros);
  cursor.ticket_id = parts[2];
  return cursor;
}

std::string EncodeHistoryCursor(int64_t last_entry_id) {
  return absl::WebSafeBase64Escape(absl::StrCat(kHistoryVersion, ":", last_entry_id));
}

absl::StatusOr<int64_t> DecodeHistoryCursor(const std::string& text) {
  if (text.empty()) {
    return 0;
  }
  const absl::Status malformed = absl::InvalidArgumentError("page.cursor: malformed");
  std::string plain;
  if (!absl::WebSafeBase64Unescape(text, &plain)) {
    return malformed;
  }
  std::vector<std::string> parts = absl::StrSplit(plain, ':');
  int64_t entry_id = 0;
  if (parts.size() != 2 || parts[0] != kHistoryVersion || !absl::SimpleAtoi(parts[1], &entry_id) ||
      entry_id <= 0) {
    return malformed;
  }
  return entry_id;
}

}  // namespace hotline::intake
