#pragma once

// A process's memory as the kernel counts it (/proc/PID/status).

#include <optional>
#include <string>

namespace hotline::bench {

// The field `name` of /proc/PID/status in megabytes (10^6 bytes): "VmRSS",
// the resident memory now, or "VmHWM", its peak; nothing when the process or
// the field cannot be read.
std::optional<double> ProcessMemoryMegabytes(int pid, const std::string& name);

}  // namespace hotline::bench
