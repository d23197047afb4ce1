#include "libs/phone/phone_number.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace hotline::phone {
namespace {

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return !text.empty();
}

bool Between(size_t n, size_t lo, size_t hi) { return n >= lo && n <= hi; }

bool IsMobile(absl::string_view text) {
  return text.size() == 11 && AllDigits(text) && text[0] == '1' && text[1] >= '3' && text[1] <= '9';
}

// "0" + area code + local number, with or without '-' between them.
bool IsTrunkAndLocal(absl::string_view text) {
  if (text.empty() || text[0] != '0') {
    return false;
  }
  size_t dash = text.find('-');
  if (dash == absl::string_view::npos) {
    return AllDigits(text) && Between(text.size(), 10, 12);  // 1 + (2..3) + (7..8)
  }
  absl::string_view area = text.substr(1, dash - 1);
  absl::string_view local = text.substr(dash + 1);
  return AllDigits(area) && Between(area.size(), 2, 3) && AllDigits(local) &&
         Between(local.size(), 7, 8);
}

bool IsLandline(absl::string_view text) {
  if (IsTrunkAndLocal(text)) {
    return true;
  }
  size_t last_dash = text.rfind('-');  // the extension follows the last '-'
  if (last_dash == absl::string_view::npos) {
    return false;
  }
  absl::string_view extension = text.substr(last_dash + 1);
  return AllDigits(extension) && Between(extension.size(), 1, 6) &&
         IsTrunkAndLocal(text.substr(0, last_dash));
}

bool IsServiceNumber(absl::string_view text) {
  return text.size() == 5 && AllDigits(text) &&
         (absl::StartsWith(text, "95") || absl::StartsWith(text, "12"));
}

}  // namespace

PhoneKind KindOf(absl::string_view phone) {
  absl::string_view national = phone;
  if (absl::ConsumePrefix(&national, "+86 ") || absl::ConsumePrefix(&national, "+86") ||
      absl::ConsumePrefix(&national, "86-")) {
    return IsMobile(national) ? PhoneKind::kMobile : PhoneKind::kNone;
  }
  if (IsMobile(phone)) {
    return PhoneKind::kMobile;
  }
  if (IsLandline(phone)) {
    return PhoneKind::kLandline;
  }
  if (IsServiceNumber(phone)) {
    return PhoneKind::kService;
  }
  return PhoneKind::kNone;
}

}  // namespace hotline::phone
