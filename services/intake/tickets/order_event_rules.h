#pragma once

// How an order event from dispatch moves a ticket (pure; see
// proto/hotline/dispatch/v1/events.proto for the topics).
//
//   order.dispatched     -> dispatched (from returned: via rerouted); when the
//                           order waits with the dispatchers (with_dispatcher:
//                           no branch matched) it is only recorded
//   order.accepted       -> accepted
//   order.progress       -> in_progress (again: only recorded)
//   order.resolved       -> resolved
//   order.returned       -> returned
//   order.not_dispatched -> answered (the customer was advised instead)
//
// Events arrive at least once, late, or out of order. An event that occurred
// before the newest one already applied to the ticket is ignored, and so is
// one whose move the state machine does not allow (it would move the ticket
// back, or the ticket is cancelled or closed): ignoring is not an error.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "hotline/common/v1/common.pb.h"

namespace hotline::intake {

// The topics intake subscribes to, in the order above.
const std::vector<std::string>& OrderEventTopics();

struct OrderEventDecision {
  enum class Kind {
    kApply,       // move through `path`, in order
    kRecordOnly,  // the ticket is already there (e.g. a further progress step)
    kIgnore,      // late or not allowed: `reason` says why
  };
  Kind kind = Kind::kIgnore;
  std::vector<common::v1::TicketStatus> path;
  std::string reason;
};

// `last_applied_at`: occurred_at of the newest order event applied to the
// ticket so far (none yet: nullopt). `with_dispatcher`: the event's flag (the
// order sits with the dispatchers, at no branch). An unknown topic is ignored.
OrderEventDecision DecideOrderEvent(common::v1::TicketStatus current,
                                    std::optional<absl::Time> last_applied_at,
                                    absl::string_view topic, absl::Time occurred_at,
                                    bool with_dispatcher = false);

}  // namespace hotline::intake
