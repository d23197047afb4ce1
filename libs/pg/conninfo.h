#pragma once

// Connection-string helpers for the pool.

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace hotline::pg {

// Returns `conninfo` (a postgres:// / postgresql:// URI or a "key=value ..."
// string) with libpq's connect_timeout set to `timeout` (whole seconds, at
// least 2, libpq's minimum), unless the string already sets connect_timeout.
// Without it, connecting to an unreachable host can block for minutes.
std::string WithConnectTimeout(absl::string_view conninfo, absl::Duration timeout);

}  // namespace hotline::pg
