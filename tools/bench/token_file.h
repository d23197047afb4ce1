#pragma once

// Files of "name token" lines: tools/dev's .dev/dev-tokens (role token) and
// the branch systems' tokens (branch_id token). Blank lines and lines
// starting with '#' are skipped.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace hotline::bench {

// The pairs in file order; NOT_FOUND when the file cannot be read,
// INVALID_ARGUMENT naming the line that is not "name token".
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadTokenFile(
    const std::string& path);

}  // namespace hotline::bench
