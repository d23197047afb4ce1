#include "tools/bench/scenario.h"

#include "absl/strings/str_cat.h"

namespace hotline::bench {

BenchContext::BenchContext(const Options& o, std::map<std::string, std::string> role_tokens,
                           std::vector<std::pair<std::string, std::string>> branch)
    : options(o),
      tokens(std::move(role_tokens)),
      branch_tokens(std::move(branch)),
      intake(o.intake, o.channels),
      dispatch(o.dispatch, o.channels),
      outage(o.outage, o.channels),
      sla(o.sla, 1) {}

absl::StatusOr<std::string> BenchContext::Token(const std::string& role) const {
  auto it = tokens.find(role);
  if (it == tokens.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no ", role, " token in ", options.tokens_file));
  }
  return it->second;
}

std::string BenchContext::NextKey(const std::string& prefix) {
  return absl::StrCat(options.run_id, "-", prefix, "-", NextNumber());
}

}  // namespace hotline::bench
