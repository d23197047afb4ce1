#include "libs/pg/sql_values.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hotline::pg {

std::string MicrosParam(absl::Time time) { return absl::StrCat(absl::ToUnixMicros(time)); }

std::string MicrosParam(std::optional<absl::Time> time) {
  return time.has_value() ? MicrosParam(*time) : "";
}

std::optional<absl::Time> TimeOf(const pqxx::field& field) {
  if (field.is_null()) {
    return std::nullopt;
  }
  return absl::FromUnixMicros(field.as<int64_t>());
}

absl::Time RequiredTimeOf(const pqxx::field& field) {
  return absl::FromUnixMicros(field.as<int64_t>());
}

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

std::string ByteaArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    // Inside the array literal "\\x" reads as \x, which starts bytea's hex form.
    absl::StrAppend(&out, i > 0 ? "," : "", "\"\\\\x", absl::BytesToHexString(items[i]), "\"");
  }
  out += '}';
  return out;
}

}  // namespace hotline::pg
