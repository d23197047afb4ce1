#include "libs/config/settings.h"

#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace hotline::config {
namespace {

constexpr absl::string_view kEnvPrefix = "HOTLINE_";

// `source` is how the setting was given: "--pg-uri" or "HOTLINE_PG_URI".
absl::Status Invalid(absl::string_view source, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat("setting ", source, ": ", rule));
}

}  // namespace

Settings::Settings(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

std::string Settings::EnvName(absl::string_view name) {
  return absl::StrCat(kEnvPrefix, absl::AsciiStrToUpper(absl::StrReplaceAll(name, {{"-", "_"}})));
}

void Settings::AddString(std::string name, std::string* target, std::string help) {
  settings_.push_back(
      {std::move(name), std::move(help), *target, "string", false, [target](absl::string_view v) {
         *target = std::string(v);
         return absl::OkStatus();
       }});
}

void Settings::AddInt(std::string name, int* target, std::string help, int min, int max) {
  settings_.push_back({std::move(name), std::move(help), absl::StrCat(*target), "int", false,
                       [target, min, max](absl::string_view v) {
                         int parsed = 0;
                         if (!absl::SimpleAtoi(v, &parsed)) {
                           return absl::InvalidArgumentError(
                               absl::StrCat("'", v, "' is not a whole number"));
                         }
                         if (parsed < min || parsed > max) {
                           return absl::InvalidArgumentError(
                               absl::StrCat(parsed, " is outside [", min, ", ", max, "]"));
                         }
                         *target = parsed;
                         return absl::OkStatus();
                       }});
}

void Settings::AddBool(std::string name, bool* target, std::string help) {
  settings_.push_back({std::move(name), std::move(help), *target ? "true" : "false", "bool", true,
                       [target](absl::string_view v) {
                         std::string lower = absl::AsciiStrToLower(v);
                         if (lower == "true" || lower == "1" || lower == "yes") {
                           *target = true;
                         } else if (lower == "false" || lower == "0" || lower == "no") {
                           *target = false;
                         } else {
                           return absl::InvalidArgumentError(
                               absl::StrCat("'", v, "' is not true or false"));
                         }
                         return absl::OkStatus();
                       }});
}

void Settings::AddDuration(std::string name, absl::Duration* target, std::string help) {
  settings_.push_back({std::move(name), std::move(help), absl::FormatDuration(*target), "duration",
                       false, [target](absl::string_view v) {
                         absl::Duration parsed;
                         if (!absl::ParseDuration(v, &parsed) || parsed < absl::ZeroDuration()) {
                           return absl::InvalidArgumentError(absl::StrCat(
                               "'", v, "' is not a duration such as 250ms, 30s or 5m"));
                         }
                         *target = parsed;
                         return absl::OkStatus();
                       }});
}

Settings::Setting* Settings::Find(absl::string_view name) {
  for (Setting& s : settings_) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

absl::Status Settings::Assign(Setting& setting, absl::string_view value, absl::string_view source) {
  absl::Status status = setting.assign(value);
  if (!status.ok()) {
    return Invalid(source, status.message());
  }
  return absl::OkStatus();
}

absl::Status Settings::Parse(int argc, const char* const* argv, const char* const* envp) {
  std::set<std::string> from_flags;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      return absl::OkStatus();
    }
    if (!absl::StartsWith(arg, "--") || arg.size() == 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument '", arg, "': settings are given as --name=value"));
    }
    arg.remove_prefix(2);
    absl::string_view name = arg;
    absl::string_view value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    Setting* setting = Find(name);
    if (setting == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown setting --", name, " (see --help)"));
    }
    if (!has_value) {
      if (setting->is_bool) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return Invalid(absl::StrCat("--", setting->name), "needs a value");
      }
    }
    if (absl::Status s = Assign(*setting, value, absl::StrCat("--", setting->name)); !s.ok()) {
      return s;
    }
    from_flags.insert(setting->name);
  }

  for (const char* const* e = envp; e != nullptr && *e != nullptr; ++e) {
    absl::string_view entry = *e;
    if (!absl::StartsWith(entry, kEnvPrefix)) {
      continue;
    }
    size_t eq = entry.find('=');
    absl::string_view var = entry.substr(0, eq);
    absl::string_view value = eq == absl::string_view::npos ? "" : entry.substr(eq + 1);
    Setting* match = nullptr;
    for (Setting& s : settings_) {
      if (EnvName(s.name) == var) {
        match = &s;
        break;
      }
    }
    if (match == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown setting ", var, " in the environment (see --help)"));
    }
    if (from_flags.count(match->name) > 0) {
      continue;
    }
    if (absl::Status s = Assign(*match, value, var); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

std::string Settings::Help() const {
  std::string out = absl::StrCat(program_, ": ", summary_, "\n\nUsage: ", program_,
                                 " [--setting=value ...]\n\nSettings (flag, environment "
                                 "variable, default); a flag wins over the environment:\n");
  for (const Setting& s : settings_) {
    absl::StrAppend(&out, "  --", s.name, "=<", s.kind, ">  ", EnvName(s.name), "\n      ", s.help,
                    " (default: ", s.default_text.empty() ? "none" : s.default_text, ")\n");
  }
  return out;
}

absl::StatusOr<std::string> ReadSettingFile(const std::string& path, absl::string_view setting) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("setting --", setting, ": cannot read '", path, "'"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace hotline::config
