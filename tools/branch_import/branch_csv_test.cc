// Reading a branch file: columns by name, bad rows with their
// line numbers, parents before children.

#include "tools/branch_import/branch_csv.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace hotline::branch_import {
namespace {

constexpr char kHeader[] =
    "territory,branch_id,name,kind,parent_id,duty_phone,area_class,arrival_limit_minutes,"
    "ticket_types,fault_scopes\n";

TEST(ReadBranchFileTest, ColumnsByNameAndListsSplitOnSemicolons) {
  auto rows = ReadBranchFile(absl::StrCat(
      kHeader,
      "\"township:Demo Province/Qingyuan/Liandu District/Shixi Town; feeder:F10-SX-201\",SS-SX,"
      "Shixi station,supply_station,,0578-6210100,Rural,,repair;query,public_network;meter_box\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  const BranchRow& row = rows->front();
  ASSERT_TRUE(row.status.ok()) << row.status;
  EXPECT_EQ(row.line, 2);
  const dispatch::v1::Branch& b = row.branch;
  EXPECT_EQ(b.branch_id(), "SS-SX");
  EXPECT_EQ(b.area_class(), common::v1::AREA_CLASS_RURAL);
  EXPECT_EQ(b.arrival_limit_minutes(), 0);
  ASSERT_EQ(b.ticket_types_size(), 2);
  EXPECT_EQ(b.ticket_types(1), common::v1::TICKET_TYPE_QUERY);
  EXPECT_EQ(b.fault_scopes_size(), 2);
  ASSERT_EQ(b.territory_size(), 2);
  EXPECT_EQ(b.territory(0).level(), dispatch::v1::TERRITORY_LEVEL_TOWNSHIP);
  EXPECT_EQ(b.territory(0).value(), "Demo Province/Qingyuan/Liandu District/Shixi Town");
  EXPECT_EQ(b.territory(1).level(), dispatch::v1::TERRITORY_LEVEL_FEEDER);
}

TEST(ReadBranchFileTest, BadRowsCarryTheirProblem) {
  auto rows = ReadBranchFile(
      absl::StrCat(kHeader,
                   ",A,A,supply_station,,,urban,,repair,,\n"           // 11 fields
                   ",B,B,supply_station,,,suburban,,repair,\n"         // area class
                   ",C,C,supply_station,,,urban,soon,repair,\n"        // arrival limit
                   ",D,D,supply_station,,,urban,,repair;cooking,\n"    // ticket type
                   "district:X,E,E,supply_station,,,urban,,repair,\n"  // territory level
                   ",F,F,supply_station,,,urban,30,repair,\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 6u);
  std::vector<std::string> expected = {"fields", "area_class", "arrival_limit_minutes",
                                       "ticket_types", "territory"};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*rows)[i].line, static_cast<int>(i) + 2);
    EXPECT_TRUE(absl::StrContains((*rows)[i].status.message(), expected[i])) << (*rows)[i].status;
  }
  EXPECT_TRUE((*rows)[5].status.ok());
}

TEST(ReadBranchFileTest, AnUnusableHeaderStopsTheFile) {
  EXPECT_TRUE(absl::StrContains(ReadBranchFile("").status().message(), "no header"));
  EXPECT_TRUE(absl::StrContains(ReadBranchFile("branch_id,name,colour\n").status().message(),
                                "unknown column 'colour'"));
  EXPECT_TRUE(
      absl::StrContains(ReadBranchFile("branch_id,name,kind,area_class\n").status().message(),
                        "'ticket_types' is missing"));
}

TEST(ParentsFirstTest, ParentsInTheFileComeBeforeTheirChildren) {
  auto rows = ReadBranchFile(absl::StrCat(kHeader,
                                          ",CHILD,c,repair_crew,MID,,urban,,repair,\n"
                                          ",BAD,b,repair_crew,,,nowhere,,repair,\n"
                                          ",MID,m,supply_station,TOP,,urban,,repair,\n"
                                          ",TOP,t,supply_station,OUTSIDE,,urban,,repair,\n"
                                          ",X,x,supply_station,Y,,urban,,repair,\n"
                                          ",Y,y,supply_station,X,,urban,,repair,\n"));
  ASSERT_TRUE(rows.ok());
  std::vector<BranchRow> ordered = ParentsFirst(*rows);
  std::vector<std::string> ids;
  for (const BranchRow& r : ordered) {
    ids.push_back(r.status.ok() ? r.branch.branch_id() : "bad");
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"TOP", "MID", "CHILD", "X", "Y", "bad"}));
}

}  // namespace
}  // namespace hotline::branch_import
