// hotline-token-hash: prints the "sha256:<hex>" field of a token-file line.
//
//   hotline-token-hash TOKEN            # the token as an argument
//   printf %s "$TOKEN" | hotline-token-hash   # or on standard input
//
// Then append "<role> <name> [branch_id]" and add the line to the token file.
// Reading from standard input keeps the token out of the shell history and
// the process list.

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "absl/strings/ascii.h"
#include "libs/auth/token_store.h"

int main(int argc, char** argv) {
  std::string token;
  if (argc == 2) {
    token = argv[1];
  } else if (argc == 1) {
    token.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    // A trailing newline from `echo` or a file is not part of the token.
    absl::StripTrailingAsciiWhitespace(&token);
  } else {
    std::fprintf(stderr, "usage: hotline-token-hash [TOKEN]   (or the token on stdin)\n");
    return 2;
  }
  if (token.empty()) {
    std::fprintf(stderr, "hotline-token-hash: the token is empty\n");
    return 2;
  }
  std::printf("%s\n", hotline::auth::HashToken(token).c_str());
  return 0;
}
