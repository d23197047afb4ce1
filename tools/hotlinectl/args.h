#pragma once

// The command line of hotlinectl, read without touching the network: which
// command it names, its flags and its arguments. Pure; unit-tested.
//
//   hotlinectl [GLOBAL FLAGS] COMMAND [SUBCOMMAND] [FLAGS] [ARGUMENTS]
//
// A flag is `--name=value` or `--name value`; a switch is `--name` alone
// (or `--name=true|false`). Global flags may come before or after the
// command. `--` ends the flags: what follows is arguments, even when it
// starts with "-". `-h` is `--help`.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hotline::ctl {

struct FlagSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // shown in help ("ID", "TIME"); empty: a switch
  std::string help;
  bool repeated = false;  // may be given more than once (each value kept)
};

// The flags and arguments of one command line, as read.
class ParsedArgs {
 public:
  bool Has(absl::string_view name) const;
  // The value of a flag (a switch reads "true"), or `fallback` when absent.
  std::string Get(absl::string_view name, absl::string_view fallback = "") const;
  // Every value of a repeated flag, in order.
  std::vector<std::string> GetAll(absl::string_view name) const;
  // A switch: false when absent.
  bool Switch(absl::string_view name) const;
  const std::vector<std::string>& arguments() const { return arguments_; }

  void Add(const std::string& name, std::string value) { flags_[name].push_back(std::move(value)); }
  void AddArgument(std::string argument) { arguments_.push_back(std::move(argument)); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> flags_;
  std::vector<std::string> arguments_;
};

// A usage error: INVALID_ARGUMENT marked so that main exits with the usage
// code (2) and points at --help, rather than the code of a failed call.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

// Reads `args` against `flags`. Usage errors: an unknown flag, a flag without
// its value, a value given to a switch that is not true/false, a flag that is
// not repeated given twice.
absl::StatusOr<ParsedArgs> ParseFlags(const std::vector<std::string>& args,
                                      const std::vector<FlagSpec>& flags);

// The global flags given before the command (with their values), split from
// the rest: {"--role", "admin", "ticket", "show", "X"} -> leading {"--role",
// "admin"}, rest {"ticket", "show", "X"}. A flag not in `global` ends the
// leading part too (the command's parser will name it).
struct SplitLine {
  std::vector<std::string> leading;
  std::vector<std::string> rest;
};
SplitLine SplitLeadingFlags(const std::vector<std::string>& args,
                            const std::vector<FlagSpec>& global);

}  // namespace hotline::ctl
