// hotline-probe: asks running hotline services for their gRPC health and the
// services they list through reflection. `tools/dev up` waits with it.
//
//   hotline-probe [--wait=30s] [--quiet] HOST:PORT...
//
// Exits 0 when every address answers SERVING, 1 otherwise (after --wait).

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "libs/probe/probe.h"

namespace {

constexpr char kUsage[] =
    "usage: hotline-probe [--wait=DURATION] [--quiet] HOST:PORT...\n"
    "Prints each service's gRPC health and the services it lists through reflection;\n"
    "exits 0 when all are SERVING. --wait keeps asking for up to DURATION (e.g. 60s).\n";

}  // namespace

int main(int argc, char** argv) {
  absl::Duration wait = absl::ZeroDuration();
  bool quiet = false;
  std::vector<std::string> targets;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (absl::StartsWith(arg, "--wait=")) {
      if (!absl::ParseDuration(arg.substr(7), &wait)) {
        std::fprintf(stderr, "hotline-probe: --wait: '%s' is not a duration\n", arg.c_str() + 7);
        return 2;
      }
    } else if (arg == "--quiet") {
      quiet = true;
    } else if (absl::StartsWith(arg, "-")) {
      std::fprintf(stderr, "hotline-probe: unknown option %s\n%s", arg.c_str(), kUsage);
      return 2;
    } else {
      targets.push_back(arg);
    }
  }
  if (targets.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }

  absl::Time deadline = absl::Now() + wait;
  bool all_serving = false;
  std::vector<std::string> lines;
  while (true) {
    all_serving = true;
    lines.clear();
    for (const std::string& target : targets) {
      auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
      auto health = hotline::probe::CheckHealth(channel);
      std::string state = health.ok() ? *health : "unreachable";
      all_serving = all_serving && health.ok() && *health == "SERVING";
      std::string services;
      if (auto listed = hotline::probe::ListServices(channel); listed.ok()) {
        services = absl::StrJoin(*listed, " ");
      }
      lines.push_back(target + "  " + state + "  " + services);
    }
    if (all_serving || absl::Now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  if (!quiet) {
    for (const std::string& line : lines) {
      std::printf("%s\n", line.c_str());
    }
  }
  return all_serving ? 0 : 1;
}
