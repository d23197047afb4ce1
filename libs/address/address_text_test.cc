#include "libs/address/address_text.h"

#include <gtest/gtest.h>

namespace hotline::address {
namespace {

struct TextCase {
  const char* name;
  std::string in;
  std::string out;
};

TEST(NormalizeAddressTextTest, FoldsWidthCaseSpacesAndPunctuationOnly) {
  const TextCase cases[] = {
      {"plain Chinese stays", "福田区", "福田区"},
      {"full-width digits", "深南大道１００８号", "深南大道1008号"},
      {"full-width letters fold and lower", "ＦＥＥＤＥＲ－Ａ１２", "feedera12"},
      {"ASCII case", "Futian District", "futiandistrict"},
      {"ideographic space", "福田　区", "福田区"},
      {"no-break space", "福田\u00a0区", "福田区"},
      {"leading and trailing spaces", "  福田区 \t", "福田区"},
      {"ASCII punctuation", "No. 3-1, Bldg #2", "no31bldg2"},
      {"Chinese punctuation", "《城关》、镇。", "城关镇"},
      {"suffixes are kept", "城关镇", "城关镇"},
      {"suffix is not dropped", "城关", "城关"},
      {"only spaces", " 　 ", ""},
      {"empty", "", ""},
      {"invalid byte is one replacement", std::string("a\xff") + "b",
       "a\xef\xbf\xbd"
       "b"},
      {"truncated sequence", std::string("\xe7\xa6"), "\xef\xbf\xbd\xef\xbf\xbd"},
  };
  for (const TextCase& c : cases) {
    EXPECT_EQ(NormalizeAddressText(c.in), c.out) << c.name;
  }
}

TEST(NormalizeAddressTextTest, SpellingsOfOnePlaceAreEqual) {
  EXPECT_EQ(NormalizeAddressText("解放路８号"), NormalizeAddressText("解放路 8 号"));
  EXPECT_EQ(NormalizeAddressText("ＴＡ－００１"), NormalizeAddressText("ta-001"));
  EXPECT_NE(NormalizeAddressText("城关镇"), NormalizeAddressText("城关"));
}

TEST(SplitAreaPathTest, SplitsAndNormalisesEachPart) {
  EXPECT_EQ(SplitAreaPath("广东省/深圳市/福田 区"),
            (std::vector<std::string>{"广东省", "深圳市", "福田区"}));
  EXPECT_EQ(SplitAreaPath("Guangdong"), (std::vector<std::string>{"guangdong"}));
}

TEST(AreaAddressTest, SetsTheAreaPartsAsWritten) {
  common::v1::Address a = AreaAddress("广东省", "清远市", "", "城关 镇");
  EXPECT_EQ(a.township(), "城关 镇");
  EXPECT_EQ(AreaPartsOf(a), (AreaParts{"广东省", "清远市", "", "城关镇", ""}));
  EXPECT_EQ(a.street(), "");
}

struct HoldsCase {
  const char* name;
  common::v1::Address address;
  std::string area;
  bool holds;
};

TEST(AddressHoldsTest, GivenPartsMustEqualMissingUpperPartsAreUnknown) {
  const HoldsCase cases[] = {
      {"full address, its county", AreaAddress("广东省", "深圳市", "福田区"),
       "广东省/深圳市/福田区", true},
      {"full address, its city", AreaAddress("广东省", "深圳市", "福田区"), "广东省/深圳市", true},
      {"full address, other county", AreaAddress("广东省", "深圳市", "罗湖区"),
       "广东省/深圳市/福田区", false},
      {"no province or city, its county", AreaAddress("", "", "福田区"), "广东省/深圳市/福田区",
       true},
      {"no province or city, a city area", AreaAddress("", "", "福田区"), "广东省/深圳市", false},
      {"no province, wrong city", AreaAddress("", "广州市", "福田区"), "广东省/深圳市/福田区",
       false},
      {"no city, right province", AreaAddress("广东省", "", "福田区"), "广东省/深圳市/福田区",
       true},
      {"no city, wrong province", AreaAddress("湖南省", "", "福田区"), "广东省/深圳市/福田区",
       false},
      {"township below a county area", AreaAddress("", "", "福田区", "华富街道"),
       "广东省/深圳市/福田区/华富街道", true},
      {"township not given", AreaAddress("", "", "福田区"), "广东省/深圳市/福田区/华富街道", false},
      {"spelling differs only in width and spaces", AreaAddress("", "", "福田 区"),
       "广东省/深圳市/福田区", true},
      {"empty area", AreaAddress("", "", "福田区"), "", false},
      {"area deeper than five levels", AreaAddress("a", "b", "c", "d", "e"), "a/b/c/d/e/f", false},
  };
  for (const HoldsCase& c : cases) {
    EXPECT_EQ(AddressHolds(SplitAreaPath(c.area), AreaPartsOf(c.address)), c.holds) << c.name;
  }
}

struct PartsHoldCase {
  const char* name;
  common::v1::Address address;
  common::v1::Address area;
  bool holds;
};

TEST(AddressHoldsTest, AnAreaGivenByPartsMayLeaveOutUpperLevels) {
  const PartsHoldCase cases[] = {
      {"full address in a full village area",
       AreaAddress("广东省", "清远市", "连州市", "城关镇", "东风村"),
       AreaAddress("广东省", "清远市", "连州市", "城关镇", "东风村"), true},
      {"full address in a township area without upper levels",
       AreaAddress("广东省", "清远市", "连州市", "城关镇", "东风村"),
       AreaAddress("", "", "", "城关镇"), true},
      {"full address, area without county, other township",
       AreaAddress("广东省", "清远市", "连州市", "西岸镇"), AreaAddress("", "", "", "城关镇"),
       false},
      {"area gives a county the address contradicts",
       AreaAddress("广东省", "清远市", "阳山县", "城关镇"), AreaAddress("", "", "连州市", "城关镇"),
       false},
      {"address without upper levels, area with them", AreaAddress("", "", "", "城关镇", "东风村"),
       AreaAddress("广东省", "清远市", "连州市", "城关镇"), true},
      {"a gap in the middle of the area is unknown",
       AreaAddress("广东省", "清远市", "连州市", "城关镇"), AreaAddress("广东省", "", "", "城关镇"),
       true},
      {"address above the area's deepest level", AreaAddress("广东省", "清远市", "连州市"),
       AreaAddress("", "", "连州市", "城关镇"), false},
      {"province area", AreaAddress("广 东 省", "清远市", ""), AreaAddress("广东省", "", ""), true},
      {"full-width and spaces", AreaAddress("", "", "", "城关 镇", "Ｆ１２村"),
       AreaAddress("", "", "", "城关镇", "f12村"), true},
      {"empty area", AreaAddress("广东省", "清远市", ""), AreaAddress("", "", ""), false},
  };
  for (const PartsHoldCase& c : cases) {
    EXPECT_EQ(AddressHolds(AreaPartsOf(c.area), AreaPartsOf(c.address)), c.holds) << c.name;
  }
}

TEST(AreasNestTest, EqualOnTheLevelsBothName) {
  EXPECT_TRUE(AreasNest(SplitAreaPath("广东省/深圳市"), SplitAreaPath("广东省/深圳市/福田区")));
  EXPECT_TRUE(
      AreasNest(SplitAreaPath("广东省/深圳市/福田区"), SplitAreaPath("广东省/深圳市/福田区")));
  EXPECT_FALSE(
      AreasNest(SplitAreaPath("广东省/深圳市/福田区"), SplitAreaPath("湖南省/长沙市/福田区")));
}

}  // namespace
}  // namespace hotline::address
