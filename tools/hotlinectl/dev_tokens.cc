#include "tools/hotlinectl/dev_tokens.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace hotline::ctl {
namespace {

// The folder above `path` ("/a/b" -> "/a", "/a" -> "/"); "" above "/".
std::string Parent(const std::string& path) {
  if (path.empty() || path == "/") {
    return "";
  }
  size_t slash = path.find_last_of('/', path.size() - 1);
  if (slash == std::string::npos) {
    return "";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

void AddWithParents(std::string dir, std::vector<std::string>& dirs) {
  while (!dir.empty()) {
    if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) {
      dirs.push_back(dir);
    }
    dir = Parent(dir);
  }
}

}  // namespace

absl::StatusOr<std::string> DevTokenOfRole(absl::string_view file_text, absl::string_view role) {
  std::vector<std::string> roles;
  for (absl::string_view line : absl::StrSplit(file_text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') {
      continue;
    }
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() < 2) {
      continue;
    }
    if (parts[0] == role) {
      return std::string(parts[1]);
    }
    roles.emplace_back(parts[0]);
  }
  return absl::NotFoundError(
      absl::StrCat("no dev token for role '", role,
                   "' (the file has: ", roles.empty() ? "none" : absl::StrJoin(roles, ", "), ")"));
}

std::vector<std::string> DevTokenSearchDirs(const std::string& current_dir,
                                            const std::string& executable_path) {
  std::vector<std::string> dirs;
  AddWithParents(current_dir, dirs);
  AddWithParents(Parent(executable_path), dirs);
  return dirs;
}

std::optional<std::string> FindDevTokensFile(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::string path = absl::StrCat(dir == "/" ? "" : dir, "/.dev/dev-tokens");
    if (std::ifstream(path).good()) {
      return path;
    }
  }
  return std::nullopt;
}

}  // namespace hotline::ctl
