#include "tools/hotlinectl/args.h"

#include <gtest/gtest.h>

namespace hotline::ctl {
namespace {

const std::vector<FlagSpec> kFlags = {
    {"branch", "ID", "the branch"},
    {"area", "PATH", "an area", true},
    {"json", "", "as JSON"},
    {"help", "", "help"},
};

TEST(ParseFlagsTest, ReadsValuesSwitchesRepeatsAndArguments) {
  absl::StatusOr<ParsedArgs> parsed =
      ParseFlags({"--branch", "BR-1", "ID-7", "--area=P/C", "--area", "P/D", "--json"}, kFlags);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("branch"), "BR-1");
  EXPECT_EQ(parsed->GetAll("area"), (std::vector<std::string>{"P/C", "P/D"}));
  EXPECT_TRUE(parsed->Switch("json"));
  EXPECT_FALSE(parsed->Has("help"));
  EXPECT_EQ(parsed->Get("help", "no"), "no");
  EXPECT_EQ(parsed->arguments(), (std::vector<std::string>{"ID-7"}));
}

TEST(ParseFlagsTest, DoubleDashEndsTheFlagsAndDashHIsHelp) {
  absl::StatusOr<ParsedArgs> parsed = ParseFlags({"-h", "--", "--branch", "-5"}, kFlags);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Switch("help"));
  EXPECT_EQ(parsed->arguments(), (std::vector<std::string>{"--branch", "-5"}));
}

TEST(ParseFlagsTest, RefusesWhatItCannotReadAsAUsageError) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"--brunch", "X"}, "unknown flag --brunch"},
           {{"-x"}, "unknown flag -x"},
           {{"--branch"}, "--branch: needs a value (ID)"},
           {{"--json=maybe"}, "--json: a switch takes true or false, not 'maybe'"},
           {{"--branch", "A", "--branch=B"}, "--branch: given more than once"},
       }) {
    absl::StatusOr<ParsedArgs> parsed = ParseFlags(c.args, kFlags);
    ASSERT_FALSE(parsed.ok()) << c.message;
    EXPECT_TRUE(IsUsageError(parsed.status()));
    EXPECT_EQ(parsed.status().message(), c.message);
  }
  EXPECT_FALSE(IsUsageError(absl::InvalidArgumentError("from a service")));
}

TEST(SplitLeadingFlagsTest, TakesTheGlobalFlagsBeforeTheCommandWithTheirValues) {
  SplitLine line =
      SplitLeadingFlags({"--branch", "BR-1", "--json", "orders", "list", "--area", "X"}, kFlags);
  EXPECT_EQ(line.leading, (std::vector<std::string>{"--branch", "BR-1", "--json"}));
  EXPECT_EQ(line.rest, (std::vector<std::string>{"orders", "list", "--area", "X"}));

  line = SplitLeadingFlags({"--branch=BR-1", "queue"}, kFlags);
  EXPECT_EQ(line.leading, (std::vector<std::string>{"--branch=BR-1"}));
  EXPECT_EQ(line.rest, (std::vector<std::string>{"queue"}));

  line = SplitLeadingFlags({"--nope", "queue"}, kFlags);
  EXPECT_TRUE(line.leading.empty());
  EXPECT_EQ(line.rest.size(), 2u);
}

}  // namespace
}  // namespace hotline::ctl
