#pragma once

// The open deadline clocks the sla scenario runs with: counted in sla's
// database and topped up to the number wanted with background clocks, which
// run as clocks started from tickets do but fall due in the coming weeks, so
// none fires during a run. Written with SQL, as StartClock at the rates this
// machine can take would need most of an hour for a million.

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace hotline::bench {

// The open (not stopped) clocks in sla's database at `uri`, after adding
// background clocks until there are at least `wanted` (blocks of 100,000, two
// connections at once). `progress(added, to_add)` after each block, from the
// writing threads one at a time. An error names the database step.
absl::StatusOr<int64_t> TopUpOpenClocks(
    const std::string& uri, int64_t wanted,
    const std::function<void(int64_t added, int64_t to_add)>& progress);

}  // namespace hotline::bench
