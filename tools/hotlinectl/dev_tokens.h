#pragma once

// The dev bearer tokens `tools/dev up` writes to .dev/dev-tokens, one
// "role token" a line, so an operator on a dev machine can say `--role
// dispatcher` instead of pasting a token. Pure except FindDevTokensFile,
// which looks at the file system.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hotline::ctl {

// The token of `role` in the text of a dev-tokens file ("role token" lines;
// blank lines and lines starting with '#' are skipped). NOT_FOUND naming the
// role and the roles the file has.
absl::StatusOr<std::string> DevTokenOfRole(absl::string_view file_text, absl::string_view role);

// Where to look for .dev/dev-tokens, in order: the current directory, then
// its parents (a folder inside the checkout), then the folders above the
// executable (a build tree inside the checkout). No duplicates.
std::vector<std::string> DevTokenSearchDirs(const std::string& current_dir,
                                            const std::string& executable_path);

// The first <dir>/.dev/dev-tokens of `dirs` that is a readable file.
std::optional<std::string> FindDevTokensFile(const std::vector<std::string>& dirs);

}  // namespace hotline::ctl
