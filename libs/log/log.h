#pragma once

// A minimal structured logger: one line per event on stderr, with a UTC
// timestamp, level and component. Thread-safe (one write(2) per line).
// Abseil 20220623 (Debian 12) predates absl/log, hence this small piece.

#include "absl/strings/string_view.h"

#include "absl/strings/str_cat.h"

namespace hotline::log {

enum class Level { kDebug, kInfo, kWarning, kError };

// Lines below this level are dropped; default kInfo. Safe to call at start-up.
void SetMinLevel(Level level);

void Write(Level level, absl::string_view component, absl::string_view message);

template <typename... Args>
void Info(absl::string_view component, const Args&... args) {
  Write(Level::kInfo, component, absl::StrCat(args...));
}
template <typename... Args>
void Warn(absl::string_view component, const Args&... args) {
  Write(Level::kWarning, component, absl::StrCat(args...));
}
template <typename... Args>
void Error(absl::string_view component, const Args&... args) {
  Write(Level::kError, component, absl::StrCat(args...));
}
template <typename... Args>
void Debug(absl::string_view component, const Args&... args) {
  Write(Level::kDebug, component, absl::StrCat(args...));
}

}  // namespace hotline::log
