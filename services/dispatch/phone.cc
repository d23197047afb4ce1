#include "services/dispatch/phone.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace hotline::dispatch {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return !s.empty();
}

bool IsMobile(absl::string_view s) { return s.size() == 11 && s[0] == '1' && AllDigits(s); }

}  // namespace

bool IsPhoneNumber(absl::string_view phone) {
  if (absl::ConsumePrefix(&phone, "+86") || absl::ConsumePrefix(&phone, "86-")) {
    return IsMobile(phone);
  }
  if (IsMobile(phone)) {
    return true;
  }
  if (phone.size() == 5 && AllDigits(phone)) {
    return true;
  }
  if (phone.empty() || phone[0] != '0') {
    return false;
  }
  size_t dash = phone.find('-');
  if (dash != absl::string_view::npos) {
    absl::string_view area = phone.substr(0, dash);
    absl::string_view local = phone.substr(dash + 1);
    return area.size() >= 3 && area.size() <= 4 && AllDigits(area) && local.size() >= 7 &&
           local.size() <= 8 && AllDigits(local);
  }
  return phone.size() >= 10 && phone.size() <= 12 && AllDigits(phone);
}

}  // namespace hotline::dispatch
