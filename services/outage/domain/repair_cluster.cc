#include "services/outage/domain/repair_cluster.h"

#include <algorithm>

namespace hotline::outage {

bool FormsCluster(const ClusterRule& rule, absl::Time call_at,
                  const std::vector<absl::Time>& other_calls) {
  if (rule.calls <= 1) {
    return true;
  }
  // A span holding enough calls can be moved to start at its first call, and
  // that call is at or before `call_at`: try each such start.
  std::vector<absl::Time> calls;
  for (absl::Time t : other_calls) {
    if (t >= call_at - rule.window && t <= call_at + rule.window) {
      calls.push_back(t);
    }
  }
  calls.push_back(call_at);
  std::sort(calls.begin(), calls.end());
  size_t end = 0;  // first call after the span starting at calls[begin]
  for (size_t begin = 0; begin < calls.size() && calls[begin] <= call_at; ++begin) {
    end = std::max(end, begin);
    while (end < calls.size() && calls[end] <= calls[begin] + rule.window) {
      ++end;
    }
    if (static_cast<int>(end - begin) >= rule.calls) {
      return true;
    }
  }
  return false;
}

}  // namespace hotline::outage
