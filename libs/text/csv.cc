#include "libs/text/csv.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace hotline::text {

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");  // a byte order mark
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool in_quotes = false;
  bool quoted = false;  // the current field was quoted
  bool record_open = false;
  int line = 1;
  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    quoted = false;
  };
  auto end_record = [&] {
    end_field();
    records.push_back(std::move(record));
    record = CsvRecord();
    record_open = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!record_open) {
      record_open = true;
      record.line = line;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') {
          ++line;
        }
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || quoted) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", line, ": a quote inside an unquoted field"));
      }
      in_quotes = true;
      quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      end_record();
      ++line;
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", record.line, ": a quoted field never ends"));
  }
  if (record_open) {
    end_record();
  }
  // Drop blank lines and comments.
  std::vector<CsvRecord> kept;
  for (CsvRecord& r : records) {
    bool blank = r.fields.size() == 1 && absl::StripAsciiWhitespace(r.fields[0]).empty();
    bool comment = !r.fields.empty() && absl::StartsWith(r.fields[0], "#");
    if (!blank && !comment) {
      kept.push_back(std::move(r));
    }
  }
  return kept;
}

}  // namespace hotline::text
