// Reading CSV: quoting, line numbers, comments and blank lines, a byte order
// mark.

#include "libs/text/csv.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace hotline::text {
namespace {

TEST(ParseCsvTest, QuotesCommasAndLineBreaksInsideFields) {
  auto records = ParseCsv(
      "a,b,c\n"
      "# a comment\n"
      "\n"
      "1,\"two, with comma\",\"say \"\"hi\"\"\"\r\n"
      "2,\"multi\nline\",x\n"
      "3,,last");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[1].line, 4);
  EXPECT_EQ((*records)[1].fields, (std::vector<std::string>{"1", "two, with comma", "say \"hi\""}));
  EXPECT_EQ((*records)[2].fields[1], "multi\nline");
  EXPECT_EQ((*records)[3].line, 7);  // the quoted line break counts
  EXPECT_EQ((*records)[3].fields, (std::vector<std::string>{"3", "", "last"}));
}

TEST(ParseCsvTest, BrokenQuotingNamesTheLine) {
  auto open = ParseCsv("a,b\n1,\"never closed\n2,3\n");
  EXPECT_EQ(open.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(open.status().message(), "line 2")) << open.status();
  auto stray = ParseCsv("a,b\n1,x\"y\n");
  EXPECT_TRUE(absl::StrContains(stray.status().message(), "line 2")) << stray.status();
}

TEST(ParseCsvTest, ByteOrderMarkIsDropped) {
  auto records = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\n1,2\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*records)[1].line, 2);
}

}  // namespace
}  // namespace hotline::text
