#include "tools/hotlinectl/table.h"

#include <gtest/gtest.h>

namespace hotline::ctl {
namespace {

TEST(TableTest, AlignsColumnsUnderTheirHeaders) {
  Table table({"ORDER", "STATUS", "BRANCH"});
  table.AddRow({"PD-20261206-000001", "dispatched", "BR-1"});
  table.AddRow({"PD-2", "in_progress"});
  EXPECT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.Render(),
            "ORDER               STATUS       BRANCH\n"
            "PD-20261206-000001  dispatched   BR-1\n"
            "PD-2                in_progress\n");
}

TEST(TableTest, ChineseTextTakesTwoColumnsACharacter) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("清远"), 4);
  EXPECT_EQ(DisplayWidth("连州 A"), 6);
  Table table({"PLACE", "N"});
  table.AddRow({"清远市", "1"});
  table.AddRow({"Shixi", "2"});
  EXPECT_EQ(table.Render(),
            "PLACE   N\n"
            "清远市  1\n"
            "Shixi   2\n");
}

TEST(TableTest, ACellWithLineBreaksStaysOnItsRow) {
  Table table({"A", "B"});
  table.AddRow({"x\ny", "z"});
  EXPECT_EQ(table.Render(), "A    B\nx y  z\n");
}

TEST(TableTest, AnEmptyTableIsItsHeader) { EXPECT_EQ(Table({"A", "B"}).Render(), "A  B\n"); }

TEST(RenderFieldsTest, AlignsValuesAndLeavesOutEmptyOnes) {
  EXPECT_EQ(RenderFields({{"ticket", "GD-1"}, {"branch", ""}, {"outage check", "clear"}}),
            "ticket:        GD-1\n"
            "outage check:  clear\n");
}

}  // namespace
}  // namespace hotline::ctl
