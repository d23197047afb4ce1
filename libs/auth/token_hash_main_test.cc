// hotline-token-hash as an operator runs it: --help and -h print how to use
// it (never the hash of the word "--help"), and tokens still get their hash,
// whether given as an argument or on standard input.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "libs/auth/token_store.h"
#include "tests/fixtures/scrape.h"
#include "tests/fixtures/test_servers.h"

namespace hotline::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Tool() { return hotline::testing::BinaryDir() + "/libs/auth/hotline-token-hash"; }

TEST(TokenHashToolTest, HelpPrintsUsageAndExitsZero) {
  for (const std::string flag : {"--help", "-h"}) {
    hotline::testing::CommandResult r = hotline::testing::RunCommand(Tool() + " " + flag);
    EXPECT_EQ(r.exit_code, 0) << flag << ": " << r.output;
    EXPECT_THAT(r.output, HasSubstr("usage: hotline-token-hash")) << flag;
    EXPECT_THAT(r.output, Not(HasSubstr(HashToken(flag)))) << flag;
  }
}

TEST(TokenHashToolTest, HashesATokenFromTheArgumentOrStandardInput) {
  hotline::testing::CommandResult arg = hotline::testing::RunCommand(Tool() + " agent-secret");
  EXPECT_EQ(arg.exit_code, 0) << arg.output;
  EXPECT_EQ(arg.output, HashToken("agent-secret") + "\n");

  hotline::testing::CommandResult in =
      hotline::testing::RunCommand("printf 'agent-secret\\n' | " + Tool());
  EXPECT_EQ(in.exit_code, 0) << in.output;
  EXPECT_EQ(in.output, HashToken("agent-secret") + "\n");
}

// Generated tokens may begin with '-': only --help and -h are options, and
// after "--" even those are a token.
TEST(TokenHashToolTest, ATokenThatLooksLikeAnOptionIsStillHashed) {
  hotline::testing::CommandResult dash = hotline::testing::RunCommand(Tool() + " -x7Tq9");
  EXPECT_EQ(dash.exit_code, 0) << dash.output;
  EXPECT_EQ(dash.output, HashToken("-x7Tq9") + "\n");

  hotline::testing::CommandResult literal = hotline::testing::RunCommand(Tool() + " -- --help");
  EXPECT_EQ(literal.exit_code, 0) << literal.output;
  EXPECT_EQ(literal.output, HashToken("--help") + "\n");
}

}  // namespace
}  // namespace hotline::auth
