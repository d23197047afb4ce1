// No duplicate dispatch: which repair calls repeat an open repair.

#include "services/intake/tickets/domain/duplicate_repair.h"

#include <gtest/gtest.h>

#include "libs/address/address_text.h"

namespace hotline::intake {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);
const absl::Duration kWindow = absl::Hours(2);

common::v1::Address Address(const std::string& street) {
  common::v1::Address a;
  a.set_province("甘肃省");
  a.set_city("兰州市");
  a.set_county("城关区");
  a.set_township("东岗街道");
  a.set_street(street);
  return a;
}

TEST(PlaceKeyTest, FoldsSpacingPunctuationAndFullWidthForms) {
  std::string key = PlaceKey(Address("人民路12号3单元"));
  EXPECT_EQ(PlaceKey(Address("人民路 12号 3单元")), key);
  EXPECT_EQ(PlaceKey(Address("人民路１２号，３单元")), key);
  EXPECT_EQ(PlaceKey(Address("人民路12号、3单元。")), key);
  EXPECT_NE(PlaceKey(Address("人民路14号3单元")), key);
  common::v1::Address other_landmark = Address("人民路12号3单元");
  other_landmark.set_landmark("邮局对面");
  EXPECT_EQ(PlaceKey(other_landmark), key);
  common::v1::Address other_county = Address("人民路12号3单元");
  other_county.set_county("七里河区");
  EXPECT_NE(PlaceKey(other_county), key);
  common::v1::Address mixed_case = Address("Block A-3");
  EXPECT_EQ(PlaceKey(mixed_case), PlaceKey(Address("block a3")));
}

TEST(PlaceKeyTest, NoStreetMeansNoPlace) {
  EXPECT_EQ(PlaceKey(Address("")), "");
  EXPECT_EQ(PlaceKey(Address(" ，")), "");
}

// One transformer area however it is typed: the same key as routing finds
// the area's branch by (libs/address), so a repeat call is merged exactly when
// it would have gone to the same crew.
TEST(TransformerAreaKeyTest, SpellingsOfOneAreaShareTheRoutingKey) {
  common::v1::Address a;
  a.set_transformer_area(" ta-0042 ");
  common::v1::Address b;
  b.set_transformer_area("ＴＡ－００４２");
  common::v1::Address c;
  c.set_transformer_area("TA 0042");
  EXPECT_EQ(TransformerAreaKey(a), TransformerAreaKey(b));
  EXPECT_EQ(TransformerAreaKey(a), TransformerAreaKey(c));
  EXPECT_EQ(TransformerAreaKey(a), address::NormalizeAddressText("TA-0042"));
  EXPECT_EQ(TransformerAreaKey(common::v1::Address()), "");
}

OpenRepair Open(const std::string& id, const std::string& place, const std::string& area,
                absl::Duration age) {
  OpenRepair r;
  r.ticket_id = id;
  r.place_key = place;
  r.transformer_area = area;
  r.created_at = kNow - age;
  return r;
}

TEST(FindRepeatedRepairTest, SamePlaceOrSameTransformerAreaWithinTheWindow) {
  RepairPlace call{"k1", "TA-1"};
  EXPECT_EQ(
      FindRepeatedRepair(call, {Open("a", "k1", "", absl::Minutes(30))}, kNow, kWindow)->ticket_id,
      "a");
  EXPECT_EQ(FindRepeatedRepair(call, {Open("b", "other", "TA-1", absl::Minutes(30))}, kNow, kWindow)
                ->ticket_id,
            "b");
  EXPECT_FALSE(
      FindRepeatedRepair(call, {Open("c", "other", "TA-2", absl::Minutes(1))}, kNow, kWindow));
}

TEST(FindRepeatedRepairTest, TheWindowIsInclusiveAndConfigurable) {
  RepairPlace call{"k1", ""};
  EXPECT_TRUE(FindRepeatedRepair(call, {Open("a", "k1", "", kWindow)}, kNow, kWindow));
  EXPECT_FALSE(
      FindRepeatedRepair(call, {Open("a", "k1", "", kWindow + absl::Seconds(1))}, kNow, kWindow));
  EXPECT_TRUE(
      FindRepeatedRepair(call, {Open("a", "k1", "", absl::Hours(5))}, kNow, absl::Hours(6)));
}

TEST(FindRepeatedRepairTest, EmptyKeysMatchNothingAndTheEarliestWins) {
  RepairPlace nowhere{"", ""};
  EXPECT_FALSE(FindRepeatedRepair(nowhere, {Open("a", "", "", absl::Minutes(1))}, kNow, kWindow));
  RepairPlace call{"k1", "TA-1"};
  auto found = FindRepeatedRepair(
      call,
      {Open("newer", "k1", "", absl::Minutes(5)), Open("older", "", "TA-1", absl::Minutes(50))},
      kNow, kWindow);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->ticket_id, "older");
}

TEST(PlaceLockNamesTest, SortedAndOnlyForKnownKeys) {
  EXPECT_EQ(PlaceLockNames({"k", "TA"}),
            (std::vector<std::string>{"repair-place:k", "repair-transformer-area:TA"}));
  EXPECT_EQ(PlaceLockNames({"", "TA"}), (std::vector<std::string>{"repair-transformer-area:TA"}));
  EXPECT_TRUE(PlaceLockNames({"", ""}).empty());
}

}  // namespace
}  // namespace hotline::intake
