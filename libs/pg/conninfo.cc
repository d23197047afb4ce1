#include "libs/pg/conninfo.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace hotline::pg {

std::string WithConnectTimeout(absl::string_view conninfo, absl::Duration timeout) {
  if (absl::StrContains(conninfo, "connect_timeout")) {
    return std::string(conninfo);
  }
  int64_t seconds =
      std::max<int64_t>(2, static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(timeout))));
  bool is_uri =
      absl::StartsWith(conninfo, "postgresql://") || absl::StartsWith(conninfo, "postgres://");
  if (!is_uri) {
    return absl::StrCat(conninfo, conninfo.empty() ? "" : " ", "connect_timeout=", seconds);
  }
  return absl::StrCat(conninfo, absl::StrContains(conninfo, "?") ? "&" : "?",
                      "connect_timeout=", seconds);
}

}  // namespace hotline::pg
