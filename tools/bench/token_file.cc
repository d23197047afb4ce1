#include "tools/bench/token_file.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace hotline::bench {

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadTokenFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text.front() == '#') {
      continue;
    }
    std::vector<std::string> parts = absl::StrSplit(text, ' ', absl::SkipWhitespace());
    if (parts.size() != 2) {
      return absl::InvalidArgumentError(absl::StrCat(path, " line ", number, ": not 'name token'"));
    }
    pairs.emplace_back(parts[0], parts[1]);
  }
  return pairs;
}

}  // namespace hotline::bench
