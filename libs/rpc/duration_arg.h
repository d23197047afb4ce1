#pragma once

// Internal to libs/rpc: durations as the int milliseconds gRPC channel
// arguments take.

#include <algorithm>
#include <cstdint>

#include "absl/time/time.h"

namespace hotline::rpc::internal {

// `d` in milliseconds, clamped to [1, INT32_MAX].
inline int ChannelArgMilliseconds(absl::Duration d) {
  return static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(d), 1, INT32_MAX));
}

}  // namespace hotline::rpc::internal
