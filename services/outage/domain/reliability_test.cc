// Supply reliability: reading the reference files, which transformer areas a
// notice's places cover, and customer-hours and RS-1 over a period, checked
// against figures worked out by hand.

#include "services/outage/domain/reliability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "libs/address/address_text.h"

namespace hotline::outage {
namespace {

using ::hotline::address::AreaAddress;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time June(int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, 6, day, hour, minute, 0), absl::UTCTimeZone());
}

// Three transformer areas: two in 城关镇, one in 西岸镇; 600 customers.
constexpr char kReference[] =
    "transformer_area,feeder,province,city,county,township,village_or_community,customers\n"
    "# 连州市, 2026\n"
    "TA-A,F-城东,广东省,清远市,连州市,城关镇,东风村,100\n"
    "TA-B,F-城东,广东省,清远市,连州市,城关镇,西湖社区,200\n"
    "\n"
    "TA-C,F-西岸,广东省,清远市,连州市,西岸镇,石角村,300\n";

std::vector<TransformerArea> Reference() {
  absl::StatusOr<std::vector<TransformerArea>> areas = ParseTransformerAreas(kReference);
  EXPECT_TRUE(areas.ok()) << areas.status();
  return areas.ok() ? *areas : std::vector<TransformerArea>{};
}

std::vector<std::string> Names(const std::vector<const TransformerArea*>& areas) {
  std::vector<std::string> names;
  for (const TransformerArea* a : areas) {
    names.push_back(a->transformer_area);
  }
  return names;
}

TEST(ParseTransformerAreas, ReadsEveryRow) {
  std::vector<TransformerArea> areas = Reference();
  ASSERT_EQ(areas.size(), 3u);
  EXPECT_EQ(areas[0].transformer_area, "TA-A");
  EXPECT_EQ(areas[0].feeder, "F-城东");
  EXPECT_EQ(areas[0].area.county(), "连州市");
  EXPECT_EQ(areas[0].area.village_or_community(), "东风村");
  EXPECT_EQ(areas[1].customers, 200);
  EXPECT_EQ(areas[2].area.township(), "西岸镇");
}

TEST(ParseTransformerAreas, SpreadsheetExportsAreRead) {
  // A byte order mark, quoted fields, CRLF, spaces around fields.
  auto areas = ParseTransformerAreas(
      "\xEF\xBB\xBF"
      "transformer_area,feeder,province,city,county,township,village_or_community,customers\r\n"
      "\"TA-A\", F1 ,广东省,清远市,连州市,城关镇,\"东风村, 一组\",0\r\n");
  ASSERT_TRUE(areas.ok()) << areas.status();
  ASSERT_EQ(areas->size(), 1u);
  EXPECT_EQ((*areas)[0].feeder, "F1");
  EXPECT_EQ((*areas)[0].area.village_or_community(), "东风村, 一组");
  EXPECT_EQ((*areas)[0].customers, 0);
}

TEST(ParseTransformerAreas, ErrorsNameTheLineAndTheField) {
  const std::string header = std::string(kTransformerAreaHeader) + "\n";
  struct Case {
    std::string csv;
    std::string message;
  } cases[] = {
      {"", "line 1: no header"},
      {"TA-A,F1,广东省,清远市,连州市,城关镇,东风村,100\n", "line 1: expected the header"},
      {"transformer_area,feeder,customers\n", "line 1: expected the header"},
      {"# reference\n" + header + "TA-A,F1,广东省,清远市,连州市,城关镇,东风村,12a\n",
       "line 3: customers: not a whole number"},
      {header + "TA-A,F1,广东省,清远市,连州市,城关镇,东风村,\n",
       "line 2: customers: not a whole number"},
      {header + "TA-A,F1,广东省,清远市,连州市,城关镇,东风村,1.5\n",
       "line 2: customers: not a whole number"},
      {header + "TA-A,F1,广东省,清远市,连州市,城关镇,东风村,-3\n", "line 2: customers: must be 0"},
      {header + "TA-A,F1,广东省,清远市,连州市,城关镇,东风村\n", "line 2: 7 fields, expected 8"},
      {header + " ,F1,广东省,清远市,连州市,城关镇,东风村,1\n",
       "line 2: transformer_area: required"},
      {header + "TA-A,F1,广东省,清远市,连州市,城关镇,东风村,1\n\nta a,F1,,,,,,2\n",
       "line 4: transformer_area: 'ta a' already on line 2"},
      {header + "TA-A,\"F1,1\n", "line 2: a quoted field never ends"},
  };
  for (const Case& c : cases) {
    auto areas = ParseTransformerAreas(c.csv);
    ASSERT_FALSE(areas.ok()) << c.csv;
    EXPECT_EQ(areas.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(areas.status().message(), HasSubstr(c.message)) << c.csv;
  }
}

TEST(ParseAccounts, ReadsAccountsAndRefusesRepeats) {
  auto accounts = ParseAccounts(
      "account_number,transformer_area\n"
      "0100000001,TA-A\n"
      "0100000002 , TA-B\n");
  ASSERT_TRUE(accounts.ok()) << accounts.status();
  ASSERT_EQ(accounts->size(), 2u);
  EXPECT_EQ((*accounts)[1].account_number, "0100000002");
  EXPECT_EQ((*accounts)[1].transformer_area, "TA-B");

  EXPECT_THAT(ParseAccounts("0100000001,TA-A\n").status().message(),
              HasSubstr("line 1: expected the header 'account_number,transformer_area'"));
  EXPECT_THAT(ParseAccounts("account_number,transformer_area\n1,TA-A\n1,TA-B\n").status().message(),
              HasSubstr("line 3: account_number: '1' already on line 2"));
  EXPECT_THAT(ParseAccounts("account_number,transformer_area\n1,\n").status().message(),
              HasSubstr("line 2: transformer_area: required"));
  EXPECT_THAT(ParseAccounts("account_number,transformer_area\n,TA-A\n").status().message(),
              HasSubstr("line 2: account_number: required"));
}

TEST(CoversTransformerArea, ByAreaByIdAndByFeeder) {
  std::vector<TransformerArea> ref = Reference();
  ASSERT_EQ(ref.size(), 3u);
  const TransformerArea& a = ref[0];  // 城关镇 东风村, F-城东
  const common::v1::Address township = AreaAddress("", "", "连州市", "城关镇");
  const common::v1::Address other_township = AreaAddress("", "", "连州市", "西岸镇");
  const common::v1::Address village = AreaAddress("广东省", "清远市", "连州市", "城关镇", "东风村");
  EXPECT_TRUE(CoversTransformerArea(&township, "", "", a));
  EXPECT_TRUE(CoversTransformerArea(&village, "", "", a));
  EXPECT_FALSE(CoversTransformerArea(&other_township, "", "", a));
  EXPECT_FALSE(CoversTransformerArea(&village, "", "", ref[1]));  // 西湖社区
  EXPECT_TRUE(CoversTransformerArea(nullptr, "ｔａ－ａ", "", a));
  EXPECT_FALSE(CoversTransformerArea(nullptr, "TA-B", "", a));
  EXPECT_TRUE(CoversTransformerArea(nullptr, "", "f 城东", a));
  EXPECT_FALSE(CoversTransformerArea(nullptr, "", "F-西岸", a));
  EXPECT_FALSE(CoversTransformerArea(nullptr, "", "", a));
}

TEST(CoveredTransformerAreas, EachOnceInReferenceOrder) {
  std::vector<TransformerArea> ref = Reference();
  // TA-C by its id, TA-A by its village and again by its feeder, TA-B by the feeder.
  EXPECT_THAT(Names(CoveredTransformerAreas({AreaAddress("", "", "", "城关镇", "东风村")}, {"TA-C"},
                                            {"F-城东"}, ref)),
              ElementsAre("TA-A", "TA-B", "TA-C"));
  EXPECT_THAT(
      Names(CoveredTransformerAreas({AreaAddress("", "", "连州市", "城关镇")}, {}, {}, ref)),
      ElementsAre("TA-A", "TA-B"));
  EXPECT_THAT(Names(CoveredTransformerAreas({}, {}, {"F-西岸"}, ref)), ElementsAre("TA-C"));
  EXPECT_THAT(
      Names(CoveredTransformerAreas({AreaAddress("", "", "阳山县", "城关镇")}, {"TA-X"}, {}, ref)),
      ElementsAre());
}

std::vector<Interruption> InterruptionsOf(const std::string& notice_id,
                                          const std::vector<const TransformerArea*>& covered,
                                          absl::Time start, absl::Time end) {
  std::vector<Interruption> out;
  for (const TransformerArea* ta : covered) {
    out.push_back(Interruption{notice_id, ta->transformer_area, ta->customers, start, end});
  }
  return out;
}

TEST(ComputeReliability, TwoOutagesOverThreeTransformerAreas) {
  std::vector<TransformerArea> ref = Reference();
  // Outage N1: 城关镇 (TA-A 100 and TA-B 200 customers), 10 June 08:00-12:00, 4 h.
  std::vector<Interruption> all = InterruptionsOf(
      "N1", CoveredTransformerAreas({AreaAddress("", "", "连州市", "城关镇")}, {}, {}, ref),
      June(10, 8), June(10, 12));
  // Outage N2: transformer area TA-C (300 customers), 20 June 09:00-10:30, 1.5 h.
  std::vector<Interruption> n2 = InterruptionsOf(
      "N2", CoveredTransformerAreas({}, {"TA-C"}, {}, ref), June(20, 9), June(20, 10, 30));
  all.insert(all.end(), n2.begin(), n2.end());
  ASSERT_EQ(all.size(), 3u);

  // June 2026: 30 days = 720 h; customers 100 + 200 + 300 = 600.
  // customer-hours = 100 x 4 + 200 x 4 + 300 x 1.5 = 400 + 800 + 450 = 1650
  // RS-1 = 1 - 1650 / (600 x 720) = 1 - 1650 / 432000 = 0.99618055...
  Reliability r = ComputeReliability(all, 600, June(1, 0), June(1, 0) + absl::Hours(720));
  EXPECT_EQ(r.customers, 600);
  EXPECT_DOUBLE_EQ(r.period_hours, 720);
  EXPECT_DOUBLE_EQ(r.customer_hours, 1650);
  EXPECT_DOUBLE_EQ(r.reliability, 1 - 1650.0 / 432000.0);
  EXPECT_NEAR(r.reliability, 0.996180, 1e-6);
  EXPECT_EQ(r.outages, 2);

  // Only 城关镇 (TA-A and TA-B, 300 customers): N1 alone.
  // 1200 customer-hours; RS-1 = 1 - 1200 / (300 x 720) = 1 - 1/180.
  std::vector<Interruption> n1(all.begin(), all.begin() + 2);
  Reliability township = ComputeReliability(n1, 300, June(1, 0), June(1, 0) + absl::Hours(720));
  EXPECT_DOUBLE_EQ(township.customer_hours, 1200);
  EXPECT_DOUBLE_EQ(township.reliability, 1 - 1.0 / 180.0);
  EXPECT_EQ(township.outages, 1);
}

TEST(ComputeReliability, OnlyThePartInsideThePeriodCounts) {
  // The period: 10 June 00:00 to 11 June 00:00 (24 h), 100 customers.
  const absl::Time from = June(10, 0);
  const absl::Time to = June(11, 0);
  std::vector<Interruption> interruptions = {
      // 9 June 22:00 to 10 June 02:00: 2 h inside -> 100 x 2 = 200
      {"across-start", "TA-A", 100, June(9, 22), June(10, 2)},
      // 10 June 23:00 to 11 June 03:00: 1 h inside -> 100 x 1 = 100
      {"across-end", "TA-A", 100, June(10, 23), June(11, 3)},
      // before and after the period, and ending exactly at its start: nothing
      {"before", "TA-A", 100, June(9, 8), June(10, 0)},
      {"after", "TA-A", 100, June(11, 0), June(11, 5)},
  };
  // 300 customer-hours; RS-1 = 1 - 300 / (100 x 24) = 0.875.
  Reliability r = ComputeReliability(interruptions, 100, from, to);
  EXPECT_DOUBLE_EQ(r.period_hours, 24);
  EXPECT_DOUBLE_EQ(r.customer_hours, 300);
  EXPECT_DOUBLE_EQ(r.reliability, 0.875);
  EXPECT_EQ(r.outages, 2);

  // One outage spanning the whole period and more: every hour of it.
  Reliability whole =
      ComputeReliability({{"long", "TA-A", 100, June(9, 0), June(12, 0)}}, 100, from, to);
  EXPECT_DOUBLE_EQ(whole.customer_hours, 2400);
  EXPECT_DOUBLE_EQ(whole.reliability, 0);
}

TEST(ComputeReliability, OverlappingNoticesOnOneTransformerAreaCountItsCustomersOnce) {
  // A feeder outage 08:00-12:00 and a transformer-area fault 10:00-14:00 on
  // TA-A (100 customers, one spelled otherwise): off 08:00-14:00, 6 h -> 600.
  Reliability r = ComputeReliability({{"feeder", "TA-A", 100, June(10, 8), June(10, 12)},
                                      {"fault", "ta a", 100, June(10, 10), June(10, 14)},
                                      {"other", "TA-B", 50, June(10, 10), June(10, 11)}},
                                     150, June(10, 0), June(11, 0));
  // 600 + 50 x 1 = 650
  EXPECT_DOUBLE_EQ(r.customer_hours, 650);
  EXPECT_EQ(r.outages, 3);
}

TEST(ComputeReliability, NoCustomersOrNoPeriodIsFullyReliable) {
  std::vector<Interruption> one = {{"N1", "TA-A", 100, June(10, 8), June(10, 12)}};
  Reliability none = ComputeReliability(one, 0, June(1, 0), June(30, 0));
  EXPECT_EQ(none.customers, 0);
  EXPECT_DOUBLE_EQ(none.reliability, 1);

  Reliability empty = ComputeReliability({}, 0, June(1, 0), June(30, 0));
  EXPECT_DOUBLE_EQ(empty.customer_hours, 0);
  EXPECT_DOUBLE_EQ(empty.reliability, 1);
  EXPECT_EQ(empty.outages, 0);

  Reliability no_period = ComputeReliability(one, 100, June(10, 8), June(10, 8));
  EXPECT_DOUBLE_EQ(no_period.period_hours, 0);
  EXPECT_DOUBLE_EQ(no_period.reliability, 1);
  EXPECT_EQ(no_period.outages, 0);

  Reliability no_outage = ComputeReliability({}, 100, June(1, 0), June(30, 0));
  EXPECT_DOUBLE_EQ(no_outage.reliability, 1);
}

}  // namespace
}  // namespace hotline::outage
