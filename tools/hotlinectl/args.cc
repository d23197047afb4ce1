#include "tools/hotlinectl/args.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace hotline::ctl {
namespace {

constexpr char kUsagePayload[] = "hotline.ctl/usage";

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags, absl::string_view name) {
  auto it =
      std::find_if(flags.begin(), flags.end(), [&](const FlagSpec& f) { return f.name == name; });
  return it == flags.end() ? nullptr : &*it;
}

}  // namespace

bool ParsedArgs::Has(absl::string_view name) const { return flags_.find(name) != flags_.end(); }

std::string ParsedArgs::Get(absl::string_view name, absl::string_view fallback) const {
  auto it = flags_.find(name);
  return it == flags_.end() ? std::string(fallback) : it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(absl::string_view name) const {
  auto it = flags_.find(name);
  return it == flags_.end() ? std::vector<std::string>{} : it->second;
}

bool ParsedArgs::Switch(absl::string_view name) const { return Get(name, "false") == "true"; }

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

absl::StatusOr<ParsedArgs> ParseFlags(const std::vector<std::string>& args,
                                      const std::vector<FlagSpec>& flags) {
  ParsedArgs parsed;
  bool only_arguments = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_arguments || arg == "-" || !absl::StartsWith(arg, "-")) {
      parsed.AddArgument(arg);
      continue;
    }
    if (arg == "--") {
      only_arguments = true;
      continue;
    }
    if (arg == "-h") {
      parsed.Add("help", "true");
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return UsageError(absl::StrCat("unknown flag ", arg));
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = FindFlag(flags, name);
    if (spec == nullptr) {
      return UsageError(absl::StrCat("unknown flag --", name));
    }
    if (spec->value_name.empty()) {
      if (value.has_value() && *value != "true" && *value != "false") {
        return UsageError(
            absl::StrCat("--", name, ": a switch takes true or false, not '", *value, "'"));
      }
      value = value.value_or("true");
    } else if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        return UsageError(absl::StrCat("--", name, ": needs a value (", spec->value_name, ")"));
      }
      value = args[++i];
    }
    if (parsed.Has(name) && !spec->repeated) {
      return UsageError(absl::StrCat("--", name, ": given more than once"));
    }
    parsed.Add(name, std::move(*value));
  }
  return parsed;
}

SplitLine SplitLeadingFlags(const std::vector<std::string>& args,
                            const std::vector<FlagSpec>& global) {
  SplitLine line;
  size_t i = 0;
  while (i < args.size() && absl::StartsWith(args[i], "-") && args[i] != "-" && args[i] != "--") {
    const std::string& arg = args[i];
    const bool inline_value = arg.find('=') != std::string::npos;
    const FlagSpec* spec = nullptr;
    if (arg == "-h") {
      spec = FindFlag(global, "help");
    } else if (absl::StartsWith(arg, "--")) {
      spec = FindFlag(global, arg.substr(2, arg.find('=') - 2));
    }
    if (spec == nullptr) {
      break;
    }
    line.leading.push_back(args[i++]);
    if (!spec->value_name.empty() && !inline_value && i < args.size()) {
      line.leading.push_back(args[i++]);
    }
  }
  line.rest.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return line;
}

}  // namespace hotline::ctl
