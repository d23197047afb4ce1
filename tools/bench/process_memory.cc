#include "tools/bench/process_memory.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace hotline::bench {

std::optional<double> ProcessMemoryMegabytes(int pid, const std::string& name) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  const std::string prefix = name + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) != 0) {
      continue;
    }
    std::istringstream fields(line.substr(prefix.size()));
    double kilobytes = 0;
    std::string unit;
    if (fields >> kilobytes >> unit && unit == "kB") {
      return kilobytes * 1024 / 1e6;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace hotline::bench
