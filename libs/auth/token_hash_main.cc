// hotline-token-hash: prints the "sha256:<hex>" field of a token-file line.
//
//   hotline-token-hash TOKEN            # the token as an argument
//   printf %s "$TOKEN" | hotline-token-hash   # or on standard input
//   hotline-token-hash --help           # usage (also -h)
//
// Then append "<role> <name> [branch_id]" and add the line to the token file.
// Reading from standard input keeps the token out of the shell history and
// the process list.

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "libs/auth/token_store.h"

namespace {

constexpr char kUsage[] =
    "usage: hotline-token-hash [--] [TOKEN]\n"
    "       printf %s \"$TOKEN\" | hotline-token-hash\n"
    "\n"
    "Prints the sha256:<hex> field of a token-file line for TOKEN, or for the\n"
    "token read from standard input (trailing whitespace removed) when none is\n"
    "given; standard input keeps it out of the shell history and the process\n"
    "list. Append \"<role> <name> [branch_id]\" to make the line.\n"
    "\n"
    "  -h, --help  this text\n"
    "  --          what follows is the token, even if it starts with '-'\n";

}  // namespace

int main(int argc, char** argv) {
  // Only --help and -h are options: generated tokens may start with '-'.
  int first = 1;
  if (argc >= 2) {
    const std::string_view arg = argv[1];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--") {
      first = 2;
    }
  }
  std::string token;
  if (argc - first == 1) {
    token = argv[first];
  } else if (argc - first == 0) {
    token.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    // A trailing newline from `echo` or a file is not part of the token.
    absl::StripTrailingAsciiWhitespace(&token);
  } else {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (token.empty()) {
    std::fprintf(stderr, "hotline-token-hash: the token is empty\n");
    return 2;
  }
  std::printf("%s\n", hotline::auth::HashToken(token).c_str());
  return 0;
}
