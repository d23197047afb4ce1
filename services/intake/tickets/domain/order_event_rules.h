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
// Events arrive at least once, late, or out of order. An event written
// before the newest one already applied to the ticket (a smaller
// Event.sequence: the sender's outbox order, never its clock) is ignored, and
// so is one whose move the state machine does not allow (it would move the
// ticket back, or the ticket is cancelled or closed): ignoring is not an
// error. An event without a sequence (0) is judged by the state machine alone.

#include <cstdint>
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

// `last_applied`: the sequence of the newest order event applied to the
// ticket so far (none yet: nullopt); `sequence`: the event's. `with_dispatcher`: the event's flag
// (the order sits with the dispatchers, at no branch). An unknown topic is ignored.
// `reopened_by_callback`: an order.dispatched that sends a resolved order back
// to its branch after a dissatisfied callback; it may reach intake before
// survey's callback.completed does, so a ticket still resolved or waiting for
// its callback moves through callback and reopened to dispatched.
OrderEventDecision DecideOrderEvent(common::v1::TicketStatus current,
                                    std::optional<int64_t> last_applied, absl::string_view topic,
                                    int64_t sequence, bool with_dispatcher = false,
                                    bool reopened_by_callback = false);

}  // namespace hotline::intake
