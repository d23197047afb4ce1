// Which linked repairs a restore of their notice resolves: all of them when
// the whole notice is restored, else those in a restored transformer area,
// feeder or area, compared as libs/address compares addresses.

#include "services/intake/tickets/domain/outage_restore.h"

#include <gtest/gtest.h>

#include "libs/proto_time/proto_time.h"

namespace hotline::intake {
namespace {

common::v1::Address Home() {
  common::v1::Address a;
  a.set_province("甘肃省");
  a.set_city("兰州市");
  a.set_county("城关区");
  a.set_township("东岗街道");
  a.set_street("解放路8号");
  a.set_transformer_area("TA-7");
  a.set_feeder("F12");
  return a;
}

common::v1::Address Area(const std::string& county, const std::string& township = "") {
  common::v1::Address a;
  a.set_province("甘肃省");
  a.set_city("兰州市");
  a.set_county(county);
  a.set_township(township);
  return a;
}

TEST(RestoredPlaceTest, TheWholeNoticeHoldsEveryAddress) {
  outage::v1::NoticeRestored restored;
  restored.set_whole(true);
  EXPECT_EQ(RestoredPlaceOf(restored, Home()), "the whole notice");
  EXPECT_EQ(RestoredPlaceOf(restored, common::v1::Address()), "the whole notice");
}

TEST(RestoredPlaceTest, ATransformerAreaOrFeederIsComparedNormalised) {
  outage::v1::NoticeRestored restored;
  restored.add_transformer_areas("ＴＡ－７");  // full width: the same id
  EXPECT_EQ(RestoredPlaceOf(restored, Home()), "transformer area ＴＡ－７");

  outage::v1::NoticeRestored feeder;
  feeder.add_feeders("f 12");
  EXPECT_EQ(RestoredPlaceOf(feeder, Home()), "feeder f 12");

  outage::v1::NoticeRestored other;
  other.add_transformer_areas("TA-8");
  other.add_feeders("F13");
  EXPECT_EQ(RestoredPlaceOf(other, Home()), std::nullopt);

  // An address that does not know its transformer area is held by none.
  common::v1::Address unknown = Home();
  unknown.clear_transformer_area();
  unknown.clear_feeder();
  outage::v1::NoticeRestored blank;
  blank.add_transformer_areas("");
  blank.add_transformer_areas("TA-7");
  EXPECT_EQ(RestoredPlaceOf(blank, unknown), std::nullopt);
}

TEST(RestoredPlaceTest, AnAreaHoldsTheAddressesThatLieInIt) {
  outage::v1::NoticeRestored restored;
  *restored.add_areas() = Area("七里河区");
  *restored.add_areas() = Area("城关区", "东岗街道");
  EXPECT_EQ(RestoredPlaceOf(restored, Home()), "area 甘肃省/兰州市/城关区/东岗街道");

  // Another township of the same county: not restored.
  common::v1::Address neighbour = Home();
  neighbour.set_township("雁南街道");
  EXPECT_EQ(RestoredPlaceOf(restored, neighbour), std::nullopt);

  // An address without its upper levels lies in the area when the parts it
  // gives agree; one that gives another province does not.
  common::v1::Address short_form;
  short_form.set_county("城关区");
  short_form.set_township("东岗 街道");
  EXPECT_TRUE(RestoredPlaceOf(restored, short_form).has_value());
  common::v1::Address elsewhere = Home();
  elsewhere.set_province("青海省");
  EXPECT_EQ(RestoredPlaceOf(restored, elsewhere), std::nullopt);

  // The county restored holds every township of it.
  outage::v1::NoticeRestored county;
  *county.add_areas() = Area("城关区");
  EXPECT_TRUE(RestoredPlaceOf(county, neighbour).has_value());
}

TEST(RestoredPlaceTest, AnAreaThatLeavesOutUpperLevelsDoesNotHoldAnAddressThatGivesThem) {
  // "城关区" alone may be another province's: the repair stays linked until
  // the rest of the notice is restored, rather than resolved while it may
  // still be without power.
  outage::v1::NoticeRestored restored;
  common::v1::Address bare;
  bare.set_county("城关区");
  *restored.add_areas() = bare;
  EXPECT_EQ(RestoredPlaceOf(restored, Home()), std::nullopt);
  common::v1::Address short_form;
  short_form.set_county("城关区");
  short_form.set_street("解放路8号");
  EXPECT_EQ(RestoredPlaceOf(restored, short_form), "area 城关区");

  // An area that names nothing holds nothing.
  outage::v1::NoticeRestored empty;
  empty.add_areas();
  EXPECT_EQ(RestoredPlaceOf(empty, Home()), std::nullopt);
}

// Places overlap: the feeder is back, but the township it feeds (where the
// repair is) is still off; the repair stays linked until its place is back.
TEST(RestoredPlaceTest, ARepairInsideAPlaceStillOffIsNotResolved) {
  outage::v1::NoticeRestored restored;
  restored.add_feeders("F12");
  EXPECT_EQ(ResolvingPlaceOf(restored, Home()), "feeder F12");
  *restored.add_still_off_areas() = Area("城关区", "东岗街道");
  EXPECT_EQ(ResolvingPlaceOf(restored, Home()), std::nullopt);

  // Another township still off does not hold it.
  outage::v1::NoticeRestored elsewhere;
  elsewhere.add_feeders("F12");
  *elsewhere.add_still_off_areas() = Area("城关区", "拱星墩街道");
  EXPECT_EQ(ResolvingPlaceOf(elsewhere, Home()), "feeder F12");

  // Its transformer area still off keeps it linked too.
  outage::v1::NoticeRestored by_ta;
  by_ta.add_feeders("F12");
  by_ta.add_still_off_transformer_areas("ta 7");
  EXPECT_EQ(ResolvingPlaceOf(by_ta, Home()), std::nullopt);

  // The whole notice restored resolves it whatever the lists say.
  by_ta.set_whole(true);
  EXPECT_EQ(ResolvingPlaceOf(by_ta, Home()), "the whole notice");
}

TEST(RestoredPlaceTest, TheHistoryDetailNamesTheNoticeThePlaceAndTheLocalTime) {
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  // 2026-11-23 05:00 UTC is 13:00 in Shanghai.
  EXPECT_EQ(
      DescribeRestore("N-1", "transformer area TA-7", absl::FromUnixSeconds(1795410000), shanghai),
      "power restored: notice N-1, transformer area TA-7; at 2026-11-23 13:00 "
      "(Asia/Shanghai)");
}

}  // namespace
}  // namespace hotline::intake
