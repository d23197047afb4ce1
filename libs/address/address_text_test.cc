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

common::v1::Address Addr(std::string province, std::string city, std::string county,
                         std::string township = "", std::string village = "") {
  common::v1::Address a;
  a.set_province(province);
  a.set_city(city);
  a.set_county(county);
  a.set_township(township);
  a.set_village_or_community(village);
  return a;
}

struct HoldsCase {
  const char* name;
  common::v1::Address address;
  std::string area;
  bool holds;
};

TEST(AddressHoldsTest, GivenPartsMustEqualMissingUpperPartsAreUnknown) {
  const HoldsCase cases[] = {
      {"full address, its county", Addr("广东省", "深圳市", "福田区"), "广东省/深圳市/福田区",
       true},
      {"full address, its city", Addr("广东省", "深圳市", "福田区"), "广东省/深圳市", true},
      {"full address, other county", Addr("广东省", "深圳市", "罗湖区"), "广东省/深圳市/福田区",
       false},
      {"no province or city, its county", Addr("", "", "福田区"), "广东省/深圳市/福田区", true},
      {"no province or city, a city area", Addr("", "", "福田区"), "广东省/深圳市", false},
      {"no province, wrong city", Addr("", "广州市", "福田区"), "广东省/深圳市/福田区", false},
      {"no city, right province", Addr("广东省", "", "福田区"), "广东省/深圳市/福田区", true},
      {"no city, wrong province", Addr("湖南省", "", "福田区"), "广东省/深圳市/福田区", false},
      {"township below a county area", Addr("", "", "福田区", "华富街道"),
       "广东省/深圳市/福田区/华富街道", true},
      {"township not given", Addr("", "", "福田区"), "广东省/深圳市/福田区/华富街道", false},
      {"spelling differs only in width and spaces", Addr("", "", "福田 区"), "广东省/深圳市/福田区",
       true},
      {"empty area", Addr("", "", "福田区"), "", false},
      {"area deeper than five levels", Addr("a", "b", "c", "d", "e"), "a/b/c/d/e/f", false},
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
       Addr("广东省", "清远市", "连州市", "城关镇", "东风村"),
       Addr("广东省", "清远市", "连州市", "城关镇", "东风村"), true},
      {"full address in a township area without upper levels",
       Addr("广东省", "清远市", "连州市", "城关镇", "东风村"), Addr("", "", "", "城关镇"), true},
      {"full address, area without county, other township",
       Addr("广东省", "清远市", "连州市", "西岸镇"), Addr("", "", "", "城关镇"), false},
      {"area gives a county the address contradicts", Addr("广东省", "清远市", "阳山县", "城关镇"),
       Addr("", "", "连州市", "城关镇"), false},
      {"address without upper levels, area with them", Addr("", "", "", "城关镇", "东风村"),
       Addr("广东省", "清远市", "连州市", "城关镇"), true},
      {"a gap in the middle of the area is unknown", Addr("广东省", "清远市", "连州市", "城关镇"),
       Addr("广东省", "", "", "城关镇"), true},
      {"address above the area's deepest level", Addr("广东省", "清远市", "连州市"),
       Addr("", "", "连州市", "城关镇"), false},
      {"province area", Addr("广 东 省", "清远市", ""), Addr("广东省", "", ""), true},
      {"full-width and spaces", Addr("", "", "", "城关 镇", "Ｆ１２村"),
       Addr("", "", "", "城关镇", "f12村"), true},
      {"empty area", Addr("广东省", "清远市", ""), Addr("", "", ""), false},
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
