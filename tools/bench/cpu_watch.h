#pragma once

// The CPU time (user + system) that processes spent during a scenario, read
// from /proc/PID/stat: the process, its live child processes (a postmaster's
// backends) and the children it has reaped; and this process's own.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace hotline::bench {

class CpuWatch {
 public:
  explicit CpuWatch(std::vector<std::pair<std::string, int>> processes)
      : processes_(std::move(processes)) {}

  // Seconds of CPU so far, by name ("bench" is this process); a process that
  // cannot be read is left out.
  std::map<std::string, double> Sample() const;

  // after - before, by name.
  static std::map<std::string, double> Spent(const std::map<std::string, double>& before,
                                             const std::map<std::string, double>& after);

 private:
  std::vector<std::pair<std::string, int>> processes_;
};

}  // namespace hotline::bench
