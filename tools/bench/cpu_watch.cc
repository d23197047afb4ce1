#include "tools/bench/cpu_watch.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace hotline::bench {
namespace {

struct Stat {
  int parent = 0;
  double own = 0;       // utime + stime
  double children = 0;  // cutime + cstime (reaped children)
};

// Fields after "pid (name) ": state, ppid, ... utime is field 14 of the line.
bool ReadStat(int pid, Stat& out) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::stringstream text;
  text << in.rdbuf();
  const std::string line = text.str();
  const size_t close = line.rfind(')');
  if (!in || close == std::string::npos) {
    return false;
  }
  std::vector<std::string> f = absl::StrSplit(line.substr(close + 2), ' ');
  if (f.size() < 15) {
    return false;
  }
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  double utime = 0, stime = 0, cutime = 0, cstime = 0;
  // f[0] is field 3 (state): field k is f[k - 3].
  if (!absl::SimpleAtoi(f[1], &out.parent) || !absl::SimpleAtod(f[11], &utime) ||
      !absl::SimpleAtod(f[12], &stime) || !absl::SimpleAtod(f[13], &cutime) ||
      !absl::SimpleAtod(f[14], &cstime)) {
    return false;
  }
  out.own = (utime + stime) / tick;
  out.children = (cutime + cstime) / tick;
  return true;
}

}  // namespace

std::map<std::string, double> CpuWatch::Sample() const {
  std::map<std::string, double> seconds;
  std::map<int, Stat> all;
  if (!processes_.empty()) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
      int pid = 0;
      Stat stat;
      if (absl::SimpleAtoi(entry.path().filename().string(), &pid) && ReadStat(pid, stat)) {
        all[pid] = stat;
      }
    }
  }
  for (const auto& [name, pid] : processes_) {
    auto it = all.find(pid);
    if (it == all.end()) {
      continue;
    }
    double total = it->second.own + it->second.children;
    for (const auto& [child, stat] : all) {
      if (stat.parent == pid) {
        total += stat.own;
      }
    }
    seconds[name] += total;
  }
  rusage self{};
  if (::getrusage(RUSAGE_SELF, &self) == 0) {
    seconds["bench"] = static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                       static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
  }
  return seconds;
}

std::map<std::string, double> CpuWatch::Spent(const std::map<std::string, double>& before,
                                              const std::map<std::string, double>& after) {
  std::map<std::string, double> spent;
  for (const auto& [name, seconds] : after) {
    auto it = before.find(name);
    if (it != before.end()) {
      spent[name] = std::max(0.0, seconds - it->second);
    }
  }
  return spent;
}

}  // namespace hotline::bench
