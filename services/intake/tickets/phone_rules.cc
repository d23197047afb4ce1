#include "services/intake/tickets/phone_rules.h"

#include "absl/strings/ascii.h"

namespace hotline::intake {
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

// "0" + area code + local number, with or without '-' between them.
bool IsTrunkAndLocal(absl::string_view text) {
  if (text.empty() || text[0] != '0') {
    return false;
  }
  size_t dash = text.find('-');
  if (dash == absl::string_view::npos) {
    // 1 + (2..3) + (7..8) digits in all.
    return AllDigits(text) && Between(text.size(), 10, 12);
  }
  absl::string_view area = text.substr(1, dash - 1);
  absl::string_view local = text.substr(dash + 1);
  return AllDigits(area) && Between(area.size(), 2, 3) && AllDigits(local) &&
         Between(local.size(), 7, 8);
}

}  // namespace

bool IsChineseMobile(absl::string_view phone) {
  return phone.size() == 11 && AllDigits(phone) && phone[0] == '1' && phone[1] >= '3' &&
         phone[1] <= '9';
}

bool IsChineseLandline(absl::string_view phone) {
  if (IsTrunkAndLocal(phone)) {
    return true;
  }
  // With an extension: the part after the last '-' is the extension.
  size_t last_dash = phone.rfind('-');
  if (last_dash == absl::string_view::npos) {
    return false;
  }
  absl::string_view extension = phone.substr(last_dash + 1);
  return AllDigits(extension) && Between(extension.size(), 1, 6) &&
         IsTrunkAndLocal(phone.substr(0, last_dash));
}

}  // namespace hotline::intake
