#include "services/dispatch/store/sql_values.h"

#include "absl/strings/str_cat.h"

namespace hotline::dispatch {

std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string Micros(absl::string_view column) {
  return absl::StrCat("(extract(epoch from ", column, ") * 1000000)::bigint");
}

std::string MicrosAs(absl::string_view column) {
  return absl::StrCat(Micros(column), " AS ", column);
}

std::string MicrosToTimestamp(int param) {
  return absl::StrCat("(timestamptz 'epoch' + NULLIF($", param,
                      ", '')::bigint * interval '1 microsecond')");
}

std::string MicrosParam(std::optional<absl::Time> time) {
  return time.has_value() ? absl::StrCat(absl::ToUnixMicros(*time)) : "";
}

std::optional<absl::Time> TimeOf(const pqxx::field& field) {
  if (field.is_null()) {
    return std::nullopt;
  }
  return absl::FromUnixMicros(field.as<int64_t>());
}

}  // namespace hotline::dispatch
