#pragma once

// ListTickets' page cursor: the (created_at, ticket_id) of the last ticket
// of a page, as an opaque web-safe string. Pure.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace hotline::intake {

struct PageCursor {
  absl::Time created_at;
  std::string ticket_id;
};

std::string EncodeCursor(const PageCursor& cursor);

// nullopt for ""; INVALID_ARGUMENT "page.cursor: malformed" for text that
// EncodeCursor did not make.
absl::StatusOr<std::optional<PageCursor>> DecodeCursor(const std::string& text);

// GetHistory's page cursor: the entry_id of the last entry of a page, as an
// opaque web-safe string.
std::string EncodeHistoryCursor(int64_t last_entry_id);

// 0 (from the start) for ""; INVALID_ARGUMENT "page.cursor: malformed" for
// text that EncodeHistoryCursor did not make.
absl::StatusOr<int64_t> DecodeHistoryCursor(const std::string& text);

}  // namespace hotline::intake
