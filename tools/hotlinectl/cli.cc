#include "tools/hotlinectl/cli.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/hotlinectl/table.h"

namespace hotline::ctl {
namespace {

std::string GroupOf(const Command& command) {
  return std::string(command.name.substr(0, command.name.find(' ')));
}

std::string FlagLines(const std::vector<FlagSpec>& flags) {
  std::string out;
  Table table({"", "", ""});
  for (const FlagSpec& flag : flags) {
    table.AddRow(
        {"", absl::StrCat("--", flag.name, flag.value_name.empty() ? "" : " ", flag.value_name),
         absl::StrCat(flag.help, flag.repeated ? " (repeatable)" : "")});
  }
  std::string rendered = table.Render();
  return rendered.substr(rendered.find('\n') + 1);  // without the empty header line
}

std::vector<FlagSpec> FlagsOf(const Command& command) {
  std::vector<FlagSpec> flags = command.flags;
  flags.insert(flags.end(), GlobalFlags().begin(), GlobalFlags().end());
  return flags;
}

}  // namespace

std::string OverviewHelp(const std::vector<Command>& commands) {
  std::string out =
      "usage: hotlinectl [GLOBAL FLAGS] COMMAND [FLAGS] [ARGUMENTS]\n"
      "The hotline operator's tool: tickets, orders, outage notices, deadlines and the call\n"
      "centre, over the services' gRPC APIs. `hotlinectl COMMAND --help` shows a command.\n\n"
      "commands:\n";
  Table table({"", "", ""});
  for (const Command& command : commands) {
    table.AddRow(
        {"", absl::StrCat(command.name, command.arguments.empty() ? "" : " ", command.arguments),
         command.summary});
  }
  std::string rendered = table.Render();
  absl::StrAppend(&out, rendered.substr(rendered.find('\n') + 1), "\nglobal flags:\n",
                  FlagLines(GlobalFlags()),
                  "\nexit status: 0 done; 1 a service refused the call or could not be reached "
                  "(hotlinectl: CODE: message);\n2 a bad command line (nothing was sent).\n");
  return out;
}

std::string GroupHelp(const std::string& group, const std::vector<Command>& commands) {
  std::string out = absl::StrCat("usage: hotlinectl ", group, " SUBCOMMAND [FLAGS]\n\n");
  Table table({"", "", ""});
  for (const Command& command : commands) {
    if (GroupOf(command) == group) {
      table.AddRow(
          {"", absl::StrCat(command.name, command.arguments.empty() ? "" : " ", command.arguments),
           command.summary});
    }
  }
  std::string rendered = table.Render();
  return out + rendered.substr(rendered.find('\n') + 1);
}

std::string CommandHelp(const Command& command) {
  std::string out = absl::StrCat("usage: hotlinectl ", command.name, " [FLAGS]",
                                 command.arguments.empty() ? "" : " ", command.arguments, "\n",
                                 command.summary, "\n");
  if (!command.details.empty()) {
    absl::StrAppend(&out, "\n", command.details, "\n");
  }
  absl::StrAppend(&out, "\nDefault role (for its dev token): ", command.default_role, "\n");
  if (!command.flags.empty()) {
    absl::StrAppend(&out, "\nflags:\n", FlagLines(command.flags));
  }
  absl::StrAppend(&out, "\nglobal flags:\n", FlagLines(GlobalFlags()));
  return out;
}

absl::StatusOr<Invocation> ReadCommandLine(const std::vector<std::string>& args,
                                           const std::vector<Command>& commands) {
  SplitLine line = SplitLeadingFlags(args, GlobalFlags());
  Invocation invocation;
  if (line.rest.empty()) {
    absl::StatusOr<ParsedArgs> leading = ParseFlags(line.leading, GlobalFlags());
    if (leading.ok() && leading->Switch("help")) {
      invocation.help = OverviewHelp(commands);
      return invocation;
    }
    return UsageError("no command given (hotlinectl --help lists them)");
  }
  const std::string& first = line.rest[0];
  const Command* found = nullptr;
  size_t words = 0;
  bool is_group = false;
  for (const Command& command : commands) {
    if (line.rest.size() >= 2 && command.name == absl::StrCat(first, " ", line.rest[1])) {
      found = &command;
      words = 2;
      break;
    }
    if (command.name == first) {
      found = &command;
      words = 1;
      break;
    }
    is_group = is_group || GroupOf(command) == first;
  }
  if (found == nullptr && is_group) {
    bool help = line.rest.size() == 1 || line.rest[1] == "--help" || line.rest[1] == "-h";
    if (help) {
      invocation.help = GroupHelp(first, commands);
      if (line.rest.size() == 1) {
        return UsageError(absl::StrCat(first, ": give a subcommand\n", invocation.help));
      }
      return invocation;
    }
    return UsageError(absl::StrCat(first, ": unknown subcommand '", line.rest[1], "' (hotlinectl ",
                                   first, " --help lists them)"));
  }
  if (found == nullptr) {
    return UsageError(absl::StrCat("unknown command '", first, "' (hotlinectl --help lists them)"));
  }
  std::vector<std::string> all = line.leading;
  all.insert(all.end(), line.rest.begin() + static_cast<std::ptrdiff_t>(words), line.rest.end());
  absl::StatusOr<ParsedArgs> parsed = ParseFlags(all, FlagsOf(*found));
  if (!parsed.ok()) {
    return UsageError(absl::StrCat(found->name, ": ", parsed.status().message()));
  }
  if (parsed->Switch("help")) {
    invocation.help = CommandHelp(*found);
    return invocation;
  }
  size_t given = parsed->arguments().size();
  if (given < found->min_arguments || given > found->max_arguments) {
    return UsageError(
        absl::StrCat(found->name, ": ",
                     given < found->min_arguments ? "missing " : "too many arguments; expected ",
                     found->arguments.empty() ? "no arguments" : found->arguments, " (hotlinectl ",
                     found->name, " --help)"));
  }
  invocation.command = found;
  invocation.args = *std::move(parsed);
  return invocation;
}

}  // namespace hotline::ctl
