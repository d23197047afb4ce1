#include "libs/log/log.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace hotline::log {
namespace {

std::atomic<Level> min_level{Level::kInfo};

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarning:
      return "WARN";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

void SetMinLevel(Level level) { min_level.store(level); }

void Write(Level level, absl::string_view component, absl::string_view message) {
  if (level < min_level.load()) {
    return;
  }
  std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ",
      LevelName(level), " [", component, "] ", message, "\n");
  // One write per line keeps lines from interleaving between threads.
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace hotline::log
