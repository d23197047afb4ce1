#include "services/intake/tickets/domain/duplicate_repair.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/intake/tickets/domain/text_utf8.h"

namespace hotline::intake {
namespace {

bool IsSeparator(char32_t c) {
  if (c < 0x80) {
    return absl::ascii_isspace(static_cast<unsigned char>(c)) ||
           absl::ascii_ispunct(static_cast<unsigned char>(c));
  }
  switch (c) {
    case 0x00B7:  // ·
    case 0x2014:  // —
    case 0x2015:
    case 0x2018:  // ‘ ’
    case 0x2019:
    case 0x201C:  // “ ”
    case 0x201D:
    case 0x2026:  // …
    case 0x3000:  // ideographic space
    case 0x3001:  // 、
    case 0x3002:  // 。
      return true;
    default:
      return c >= 0x3008 && c <= 0x3011;  // 〈〉《》「」『』【】
  }
}

std::string Normalise(absl::string_view text) {
  std::string out;
  for (char32_t c : DecodeUtf8(text)) {
    if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII forms
      c = c - 0xFF01 + 0x21;
    }
    if (IsSeparator(c)) {
      continue;
    }
    if (c < 0x80) {
      c = static_cast<char32_t>(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
    AppendUtf8(c, out);
  }
  return out;
}

}  // namespace

std::string PlaceKey(const common::v1::Address& address) {
  std::string street = Normalise(address.street());
  if (street.empty()) {
    return "";
  }
  return absl::StrJoin(
      {Normalise(address.city()), Normalise(address.county()), Normalise(address.township()),
       Normalise(address.village_or_community()), street},
      "|");
}

std::string TransformerAreaKey(const common::v1::Address& address) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(address.transformer_area()));
}

std::optional<OpenRepair> FindRepeatedRepair(const RepairPlace& place,
                                             const std::vector<OpenRepair>& open, absl::Time now,
                                             absl::Duration window) {
  std::optional<OpenRepair> earliest;
  for (const OpenRepair& repair : open) {
    bool same_place = !place.place_key.empty() && repair.place_key == place.place_key;
    bool same_area =
        !place.transformer_area.empty() && repair.transformer_area == place.transformer_area;
    bool recent = now - repair.created_at <= window;
    if ((same_place || same_area) && recent &&
        (!earliest.has_value() || repair.created_at < earliest->created_at)) {
      earliest = repair;
    }
  }
  return earliest;
}

std::vector<std::string> PlaceLockNames(const RepairPlace& place) {
  std::vector<std::string> names;
  if (!place.place_key.empty()) {
    names.push_back(absl::StrCat("repair-place:", place.place_key));
  }
  if (!place.transformer_area.empty()) {
    names.push_back(absl::StrCat("repair-transformer-area:", place.transformer_area));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace hotline::intake
