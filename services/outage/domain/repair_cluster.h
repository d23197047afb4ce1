#pragma once

// Repair calls grouped into a suspected fault outage: when `calls` repair
// tickets (default 3) come from one transformer area or one feeder within
// `window` (default 15 minutes), the place probably lost power as a whole.
// Pure.

#include <vector>

#include "absl/time/time.h"

namespace hotline::outage {

struct ClusterRule {
  int calls = 3;
  absl::Duration window = absl::Minutes(15);
};

// Whether the call at `call_at`, with the other calls of the same place
// (any order, earlier or later), makes at least rule.calls calls inside some
// span of rule.window that holds `call_at`; calls exactly `window` apart are
// inside one span.
bool FormsCluster(const ClusterRule& rule, absl::Time call_at,
                  const std::vector<absl::Time>& other_calls);

}  // namespace hotline::outage
