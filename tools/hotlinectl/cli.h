#pragma once

// Reading a hotlinectl command line against the command table: which
// command, its flags (its own and the global ones, before or after the
// command name) and arguments, or the help asked for. Pure; unit-tested.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/hotlinectl/args.h"
#include "tools/hotlinectl/command.h"

namespace hotline::ctl {

// Exit codes of hotlinectl.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRpcError = 1;  // a service refused the call or could not be reached
inline constexpr int kExitUsage = 2;     // a bad command line: nothing was sent

struct Invocation {
  const Command* command = nullptr;  // null when only help is asked for
  ParsedArgs args;
  std::string help;  // set: print it (stdout) and exit 0
};

// Usage errors: no command, an unknown command or subcommand, an unknown
// flag, too few or too many arguments.
absl::StatusOr<Invocation> ReadCommandLine(const std::vector<std::string>& args,
                                           const std::vector<Command>& commands);

// `hotlinectl --help`: usage, every command with its summary, the global flags.
std::string OverviewHelp(const std::vector<Command>& commands);
// `hotlinectl ticket --help`: the commands of a group.
std::string GroupHelp(const std::string& group, const std::vector<Command>& commands);
// `hotlinectl ticket create --help`.
std::string CommandHelp(const Command& command);

}  // namespace hotline::ctl
