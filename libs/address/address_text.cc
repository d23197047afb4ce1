#include "libs/address/address_text.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "libs/text/utf8.h"

namespace hotline::address {
namespace {

bool IsLeftOut(char32_t c) {
  if (c < 0x80) {
    return absl::ascii_isspace(static_cast<unsigned char>(c)) ||
           absl::ascii_ispunct(static_cast<unsigned char>(c));
  }
  switch (c) {
    case 0x00A0:  // no-break space
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

}  // namespace

std::string NormalizeAddressText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text::DecodeUtf8(text)) {
    if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII forms
      c = c - 0xFF01 + 0x21;
    }
    if (IsLeftOut(c)) {
      continue;
    }
    if (c < 0x80) {
      c = static_cast<char32_t>(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
    text::AppendUtf8(c, out);
  }
  return out;
}

AreaParts AreaPartsOf(const common::v1::Address& address) {
  return {NormalizeAddressText(address.province()), NormalizeAddressText(address.city()),
          NormalizeAddressText(address.county()), NormalizeAddressText(address.township()),
          NormalizeAddressText(address.village_or_community())};
}

common::v1::Address AreaAddress(absl::string_view province, absl::string_view city,
                                absl::string_view county, absl::string_view township,
                                absl::string_view village_or_community) {
  common::v1::Address address;
  address.set_province(std::string(province));
  address.set_city(std::string(city));
  address.set_county(std::string(county));
  address.set_township(std::string(township));
  address.set_village_or_community(std::string(village_or_community));
  return address;
}

std::vector<std::string> SplitAreaPath(absl::string_view path) {
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    parts.push_back(NormalizeAddressText(part));
  }
  return parts;
}

bool AddressHolds(const std::vector<std::string>& area, const AreaParts& address) {
  if (area.empty() || area.size() > address.size()) {
    return false;
  }
  const size_t deepest = area.size() - 1;
  if (area[deepest].empty() || address[deepest] != area[deepest]) {
    return false;
  }
  for (size_t i = 0; i < deepest; ++i) {
    if (!address[i].empty() && address[i] != area[i]) {
      return false;
    }
  }
  return true;
}

bool AddressHolds(const AreaParts& area, const AreaParts& address) {
  int deepest = kAreaLevels - 1;
  while (deepest >= 0 && area[deepest].empty()) {
    --deepest;
  }
  if (deepest < 0 || address[deepest] != area[deepest]) {
    return false;
  }
  for (int i = 0; i < deepest; ++i) {
    if (!area[i].empty() && !address[i].empty() && address[i] != area[i]) {
      return false;
    }
  }
  return true;
}

bool AreasNest(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const size_t both = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(both), b.begin());
}

}  // namespace hotline::address
