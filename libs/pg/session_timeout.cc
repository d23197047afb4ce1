#include "libs/pg/session_timeout.h"

#include <algorithm>
#include <cmath>
#include <pqxx/nontransaction>

#include "absl/strings/str_cat.h"
#include "libs/deadline/request_deadline.h"
#include "libs/pg/prepared.h"
#include "libs/status/status.h"

namespace hotline::pg {
namespace {

// `left` rounded down to a step of the ladder (ten steps a decade).
absl::Duration LadderStep(absl::Duration left) {
  const double ms = std::max<double>(1, absl::ToDoubleMilliseconds(left));
  const double step = std::pow(10.0, std::floor(10 * std::log10(ms)) / 10);
  return absl::Milliseconds(
      std::clamp<int64_t>(static_cast<int64_t>(step), 1, static_cast<int64_t>(ms)));
}

}  // namespace

absl::StatusOr<absl::Duration> WantedStatementTimeout(absl::Duration pool_timeout) {
  const absl::Duration left = deadline::Remaining();
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError("the request's deadline passed before its statements");
  }
  if (left == absl::InfiniteDuration() ||
      (pool_timeout > absl::ZeroDuration() && left >= pool_timeout)) {
    return pool_timeout;
  }
  // Never below the floor: the setting stays on the session after the
  // request, for the next user's first statement (the next setting) too.
  const absl::Duration floor = pool_timeout > absl::ZeroDuration()
                                   ? std::min(kLeastStatementTimeout, pool_timeout)
                                   : kLeastStatementTimeout;
  return std::max(LadderStep(left), floor);
}

absl::Status SetSessionStatementTimeout(Pool::Lease& lease) {
  HOTLINE_ASSIGN_OR_RETURN(absl::Duration wanted,
                           WantedStatementTimeout(lease.pool_options().statement_timeout));
  if (lease.session_statement_timeout() == wanted) {
    return absl::OkStatus();
  }
  lease.set_session_statement_timeout(Pool::Lease::kUnknownTimeout);  // until it is done
  {
    pqxx::nontransaction session(lease.connection());
    // set_config(..., false) is SET as a statement that can be prepared.
    Exec(session, "SELECT set_config('statement_timeout', $1, false)",
         absl::StrCat(std::max<int64_t>(0, absl::ToInt64Milliseconds(wanted))));
  }
  lease.set_session_statement_timeout(wanted);
  return absl::OkStatus();
}

}  // namespace hotline::pg
