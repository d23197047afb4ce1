#pragma once

// A hotlinectl command: its name, help, flags, the role whose dev token it
// uses by default, and what it runs. The commands of each service are in
// <service>_commands.cc; all of them are listed by AllCommands().

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/hotlinectl/args.h"
#include "tools/hotlinectl/session.h"

namespace hotline::ctl {

struct Command {
  std::string name;             // "ticket create", "queue"
  std::string arguments;        // shown in usage: "ID", "ADDRESS"; "" for none
  std::string summary;          // one line, for `hotlinectl --help`
  std::string details;          // more text for `hotlinectl NAME --help`
  std::vector<FlagSpec> flags;  // its own (the global flags come on top)
  // The role whose dev token is used without --token/--role: what the
  // access table (libs/auth/access.cc) lets do this.
  std::string default_role;
  size_t min_arguments = 0;
  size_t max_arguments = 0;
  // Runs the command: OK, a UsageError, or the RpcError of a failed call.
  std::function<absl::Status(Session& session, const ParsedArgs& args)> run;
};

std::vector<Command> TicketCommands();
std::vector<Command> OrderCommands();
std::vector<Command> NoticeCommands();
std::vector<Command> SlaCommands();
std::vector<Command> CallCenterCommands();

// Every command, in the order `hotlinectl --help` lists them.
std::vector<Command> AllCommands();

}  // namespace hotline::ctl
