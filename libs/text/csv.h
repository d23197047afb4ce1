#pragma once

// CSV files as the hotline's tools and reference data use them (branch
// tables, outage reference files): RFC 4180 (fields separated by ',', quoted
// with '"', a quote inside a quoted field doubled, line breaks allowed inside
// quotes), UTF-8, lines ending in "\n" or "\r\n". A UTF-8 byte order mark
// before the first record (spreadsheets write one) is dropped. Records that
// are blank lines or whose first field starts with '#' are left out. Fields
// are kept as written (no trimming). Pure.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hotline::text {

// One record of the file and the line it starts on (1-based).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// Splits `text` into records. INVALID_ARGUMENT "line N: ..." for a quoted
// field that never ends or a quote in the middle of an unquoted field.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

}  // namespace hotline::text
