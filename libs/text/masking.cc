#include "libs/text/masking.h"

#include <vector>

#include "libs/text/utf8.h"

namespace hotline::text {

std::string MaskName(absl::string_view name) {
  std::vector<char32_t> chars = DecodeUtf8(name);
  if (chars.empty()) {
    return "";
  }
  if (chars.size() == 1) {
    return "*";
  }
  std::string out;
  AppendUtf8(chars[0], out);
  out.append(chars.size() - 1, '*');
  return out;
}

std::string MaskPhone(absl::string_view phone) {
  constexpr size_t kHead = 3;
  constexpr size_t kTail = 4;
  std::vector<char32_t> chars = DecodeUtf8(phone);
  if (chars.size() < kHead + kTail + 1) {
    return std::string(chars.size(), '*');
  }
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i < kHead || i >= chars.size() - kTail) {
      AppendUtf8(chars[i], out);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

}  // namespace hotline::text
