#include "tools/hotlinectl/cli.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace hotline::ctl {
namespace {

std::vector<Command> FakeCommands() {
  Command create;
  create.name = "ticket create";
  create.summary = "take a ticket";
  create.flags = {{"type", "TYPE", "the type"}};
  create.default_role = "agent";
  Command show;
  show.name = "ticket show";
  show.arguments = "ID";
  show.summary = "a ticket";
  show.min_arguments = show.max_arguments = 1;
  Command check;
  check.name = "check-address";
  check.arguments = "[ADDRESS]";
  check.summary = "is it affected";
  check.max_arguments = 1;
  return {create, show, check};
}

TEST(ReadCommandLineTest, FindsTheCommandWithItsFlagsAndGlobalFlagsOnEitherSide) {
  std::vector<Command> commands = FakeCommands();
  absl::StatusOr<Invocation> read = ReadCommandLine(
      {"--role", "shift_leader", "ticket", "create", "--type", "repair", "--json"}, commands);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_NE(read->command, nullptr);
  EXPECT_EQ(read->command->name, "ticket create");
  EXPECT_EQ(read->args.Get("role"), "shift_leader");
  EXPECT_EQ(read->args.Get("type"), "repair");
  EXPECT_TRUE(read->args.Switch("json"));

  read = ReadCommandLine({"check-address", "P/C/D", "--intake=127.0.0.1:1"}, commands);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->command->name, "check-address");
  EXPECT_EQ(read->args.arguments(), (std::vector<std::string>{"P/C/D"}));
  EXPECT_EQ(read->args.Get("intake"), "127.0.0.1:1");
}

TEST(ReadCommandLineTest, HelpAtEveryLevel) {
  std::vector<Command> commands = FakeCommands();
  absl::StatusOr<Invocation> read = ReadCommandLine({"--help"}, commands);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->command, nullptr);
  for (const char* line : {"ticket create", "ticket show ID", "check-address [ADDRESS]",
                           "--intake HOST:PORT", "--role ROLE", "--json"}) {
    EXPECT_TRUE(absl::StrContains(read->help, line)) << line << "\n" << read->help;
  }
  read = ReadCommandLine({"ticket", "--help"}, commands);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(absl::StrContains(read->help, "ticket show ID"));
  EXPECT_FALSE(absl::StrContains(read->help, "check-address"));
  read = ReadCommandLine({"ticket", "create", "-h"}, commands);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->command, nullptr);
  EXPECT_TRUE(absl::StrContains(read->help, "usage: hotlinectl ticket create [FLAGS]"));
  EXPECT_TRUE(absl::StrContains(read->help, "--type TYPE"));
  EXPECT_TRUE(absl::StrContains(read->help, "Default role (for its dev token): agent"));
}

TEST(ReadCommandLineTest, BadCommandLinesAreUsageErrors) {
  std::vector<Command> commands = FakeCommands();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "no command given (hotlinectl --help lists them)"},
           {{"--json"}, "no command given (hotlinectl --help lists them)"},
           {{"tickets"}, "unknown command 'tickets' (hotlinectl --help lists them)"},
           {{"ticket", "burn"},
            "ticket: unknown subcommand 'burn' (hotlinectl ticket --help lists them)"},
           {{"ticket", "show"}, "ticket show: missing ID (hotlinectl ticket show --help)"},
           {{"ticket", "show", "A", "B"},
            "ticket show: too many arguments; expected ID (hotlinectl ticket show --help)"},
           {{"ticket", "create", "--colour", "red"}, "ticket create: unknown flag --colour"},
           {{"check-address", "--type", "x"}, "check-address: unknown flag --type"},
       }) {
    absl::StatusOr<Invocation> read = ReadCommandLine(c.args, commands);
    ASSERT_FALSE(read.ok()) << c.message;
    EXPECT_TRUE(IsUsageError(read.status()));
    EXPECT_EQ(read.status().message(), c.message);
  }
  absl::StatusOr<Invocation> bare = ReadCommandLine({"ticket"}, commands);
  ASSERT_FALSE(bare.ok());
  EXPECT_TRUE(absl::StartsWith(bare.status().message(), "ticket: give a subcommand"));
}

TEST(AllCommandsTest, EveryCommandOfTheToolIsListedWithItsDefaultRole) {
  std::vector<Command> commands = AllCommands();
  std::vector<std::string> names;
  for (const Command& c : commands) {
    names.push_back(c.name);
    EXPECT_FALSE(c.default_role.empty()) << c.name;
    EXPECT_TRUE(c.run != nullptr) << c.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"ticket create", "ticket show", "orders list",
                                             "notice publish", "notice amend", "notice restore",
                                             "check-address", "overdue", "call-stats", "queue"}));
}

}  // namespace
}  // namespace hotline::ctl
