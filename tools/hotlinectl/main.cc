// hotlinectl: the hotline operator's command-line tool over the services'
// gRPC APIs. `hotlinectl --help` lists the commands; exit status 0 done,
// 1 a service refused the call or could not be reached, 2 a bad command line.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/hotlinectl/cli.h"
#include "tools/hotlinectl/command.h"
#include "tools/hotlinectl/dev_tokens.h"
#include "tools/hotlinectl/session.h"

namespace {

using hotline::ctl::kExitRpcError;
using hotline::ctl::kExitUsage;

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int Fail(const absl::Status& status, const std::string& command) {
  if (hotline::ctl::IsUsageError(status)) {
    std::cerr << "hotlinectl: " << status.message() << "\n";
    if (!command.empty()) {
      std::cerr << "(hotlinectl " << command << " --help shows its flags)\n";
    }
    return kExitUsage;
  }
  std::cerr << "hotlinectl: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
            << "\n";
  return kExitRpcError;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::vector<hotline::ctl::Command> commands = hotline::ctl::AllCommands();
  absl::StatusOr<hotline::ctl::Invocation> invocation =
      hotline::ctl::ReadCommandLine(args, commands);
  if (!invocation.ok()) {
    return Fail(invocation.status(), "");
  }
  if (invocation->command == nullptr) {
    std::cout << invocation->help;
    return hotline::ctl::kExitOk;
  }
  const hotline::ctl::Command& command = *invocation->command;

  std::error_code error;
  std::string cwd = std::filesystem::current_path(error).string();
  std::string exe = std::filesystem::read_symlink("/proc/self/exe", error).string();
  std::optional<std::string> tokens_path =
      hotline::ctl::FindDevTokensFile(hotline::ctl::DevTokenSearchDirs(cwd, exe));
  auto env = [](const std::string& name) {
    const char* value = std::getenv(name.c_str());
    return std::string(value == nullptr ? "" : value);
  };
  absl::StatusOr<hotline::ctl::SessionOptions> options = hotline::ctl::ReadSessionOptions(
      invocation->args, env, command.default_role, tokens_path.value_or(""),
      tokens_path.has_value() ? ReadWhole(*tokens_path) : "");
  if (!options.ok()) {
    return Fail(options.status(), command.name);
  }
  hotline::ctl::Session session(*std::move(options), std::cout);
  absl::Status done = command.run(session, invocation->args);
  std::cout.flush();
  if (!done.ok()) {
    return Fail(done, command.name);
  }
  return hotline::ctl::kExitOk;
}
