#include "libs/address/address_text.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace hotline::address {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// One code point from the front of `text`, which it consumes; an invalid
// byte is U+FFFD and consumes one byte.
char32_t NextCodePoint(absl::string_view& text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  char32_t c = 0;
  if (lead < 0x80) {
    text.remove_prefix(1);
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    c = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    c = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    c = lead & 0x07;
  } else {
    text.remove_prefix(1);
    return kReplacement;
  }
  if (text.size() < length) {
    text.remove_prefix(1);
    return kReplacement;
  }
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) {
      text.remove_prefix(1);
      return kReplacement;
    }
    c = (c << 6) | (byte(i) & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kSmallest[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    text.remove_prefix(1);
    return kReplacement;
  }
  text.remove_prefix(length);
  return c;
}

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

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
  while (!text.empty()) {
    char32_t c = NextCodePoint(text);
    if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII forms
      c = c - 0xFF01 + 0x21;
    }
    if (IsLeftOut(c)) {
      continue;
    }
    if (c < 0x80) {
      c = static_cast<char32_t>(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
    AppendUtf8(c, out);
  }
  return out;
}

AreaParts AreaPartsOf(const common::v1::Address& address) {
  return {NormalizeAddressText(address.province()), NormalizeAddressText(address.city()),
          NormalizeAddressText(address.county()), NormalizeAddressText(address.township()),
          NormalizeAddressText(address.village_or_community())};
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

bool AreasNest(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const size_t both = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(both), b.begin());
}

}  // namespace hotline::address
