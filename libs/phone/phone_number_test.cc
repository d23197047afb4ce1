#include "libs/phone/phone_number.h"

#include <gtest/gtest.h>

namespace hotline::phone {
namespace {

struct Case {
  const char* phone;
  PhoneKind kind;
};

TEST(PhoneNumberTest, EachNumberIsOfOneKindOrNone) {
  const Case kCases[] = {
      // Mobiles, with or without the country code.
      {"13812345678", PhoneKind::kMobile},
      {"19912345678", PhoneKind::kMobile},
      {"+8613812345678", PhoneKind::kMobile},
      {"+86 13812345678", PhoneKind::kMobile},
      {"86-13812345678", PhoneKind::kMobile},
      {"12812345678", PhoneKind::kNone},       // 1 then 2: no such mobile prefix
      {"1381234567", PhoneKind::kNone},        // 10 digits
      {"138123456789", PhoneKind::kNone},      // 12 digits
      {"+86 010-12345678", PhoneKind::kNone},  // the country code goes with mobiles only
      {"+8612345", PhoneKind::kNone},
      // Landlines: area code, local number, extension.
      {"010-12345678", PhoneKind::kLandline},
      {"0755-8123456", PhoneKind::kLandline},
      {"0571-95598000", PhoneKind::kLandline},
      {"02112345678", PhoneKind::kLandline},
      {"0578-6210100", PhoneKind::kLandline},
      {"010-12345678-123", PhoneKind::kLandline},
      {"010-12345678-1234567", PhoneKind::kNone},  // extension of 7 digits
      {"010-123456", PhoneKind::kNone},            // local number of 6 digits
      {"01-12345678", PhoneKind::kNone},           // area code of 1 digit after 0
      {"00001-12345678", PhoneKind::kNone},        // area code of 4 digits after 0
      {"0101234", PhoneKind::kNone},
      {"010 12345678", PhoneKind::kNone},  // space
      // Service numbers.
      {"95598", PhoneKind::kService},
      {"12345", PhoneKind::kService},
      {"95598-1", PhoneKind::kNone},
      {"99999", PhoneKind::kNone},
      {"9559", PhoneKind::kNone},
      // Not numbers.
      {"", PhoneKind::kNone},
      {"phone", PhoneKind::kNone},
      {"１３８１２３４５６７８", PhoneKind::kNone},  // full-width digits
      {"138-1234-5678", PhoneKind::kNone},
      {"1381234567a", PhoneKind::kNone},
      {"13800000000", PhoneKind::kMobile},
      {"23800000000", PhoneKind::kNone},
      {"01012345678", PhoneKind::kLandline},
      {"07558123456", PhoneKind::kLandline},
      {"057195598000", PhoneKind::kLandline},
      {"021-1234567", PhoneKind::kLandline},
      {"0101234567-8", PhoneKind::kLandline},
      {"10-12345678", PhoneKind::kNone},
      {"0-12345678", PhoneKind::kNone},
      {"01012-12345678", PhoneKind::kNone},
      {"010-12345678-", PhoneKind::kNone},
      {"571-95598000", PhoneKind::kNone},
      {"0571-123", PhoneKind::kNone},
      {"0571-9559800x", PhoneKind::kNone},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(KindOf(c.phone), c.kind) << '"' << c.phone << '"';
  }
}

TEST(PhoneNumberTest, ACustomerIsCalledBackOnAMobileOrALandlineNotOnAServiceNumber) {
  EXPECT_TRUE(IsPersonalPhone("13812345678"));
  EXPECT_TRUE(IsPersonalPhone("010-12345678-12"));
  EXPECT_FALSE(IsPersonalPhone("95598"));
  EXPECT_TRUE(IsAnyPhone("95598"));
  EXPECT_FALSE(IsAnyPhone("95598x"));
}

}  // namespace
}  // namespace hotline::phone
