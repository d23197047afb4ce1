#pragma once

// Typed settings for a process, from command-line flags and HOTLINE_*
// environment variables.
//
// Each setting has a kebab-case name, e.g. "pg-pool-size": it is set by the
// flag `--pg-pool-size=8` (or `--pg-pool-size 8`) or by the environment
// variable HOTLINE_PG_POOL_SIZE; a flag wins over the environment, and both
// over the default the target held before parsing. A malformed value, an
// unknown flag or an unknown HOTLINE_* variable stops the start: Parse()
// returns INVALID_ARGUMENT naming the setting and the rule it broke.
//
// Not thread-safe: fill and parse at start-up, before other threads run.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace hotline::config {

class Settings {
 public:
  // `program` names the binary in --help; `summary` is its one-line purpose.
  Settings(std::string program, std::string summary);

  void AddString(std::string name, std::string* target, std::string help);
  // Integers must lie in [min, max].
  void AddInt(std::string name, int* target, std::string help, int min, int max);
  // `--name` alone means true; values true/false/1/0/yes/no are accepted.
  void AddBool(std::string name, bool* target, std::string help);
  // Durations in Go/absl form: "250ms", "30s", "5m", "1h30m".
  void AddDuration(std::string name, absl::Duration* target, std::string help);

  // Parses argv (argv[0] is skipped) and, for settings not given as flags,
  // the environment `envp` (as from main's third argument or `environ`).
  // `--help` sets help_requested() and stops parsing with OK.
  absl::Status Parse(int argc, const char* const* argv, const char* const* envp);

  bool help_requested() const { return help_requested_; }

  // The --help text: usage, every setting with its variable, default and help.
  std::string Help() const;

  // The environment variable for a setting name: "pg-uri" -> "HOTLINE_PG_URI".
  static std::string EnvName(absl::string_view name);

 private:
  struct Setting {
    std::string name;
    std::string help;
    std::string default_text;
    std::string kind;  // shown in --help: string, int, bool, duration
    bool is_bool = false;
    std::function<absl::Status(absl::string_view value)> assign;
  };

  Setting* Find(absl::string_view name);
  absl::Status Assign(Setting& setting, absl::string_view value, absl::string_view source);

  std::string program_;
  std::string summary_;
  std::vector<Setting> settings_;
  bool help_requested_ = false;
};

// The whole text of a file a setting names (a policy file, reference data):
// INVALID_ARGUMENT "setting --<setting>: cannot read '<path>'" when it cannot
// be read.
absl::StatusOr<std::string> ReadSettingFile(const std::string& path, absl::string_view setting);

}  // namespace hotline::config
