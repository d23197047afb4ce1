#pragma once

// How survey's callback events move a ticket (pure; see
// proto/hotline/survey/v1/events.proto for the topics). survey calls the
// customer back after intake's ticket.resolved, then tells intake:
//
//   callback.scheduled   resolved -> callback
//   callback.completed   SATISFIED, UNREACHABLE: resolved or callback -> closed
//                        (from resolved through callback: the scheduling has
//                        not arrived yet)
//                        NOT_CALLED (an anonymous report): resolved -> closed,
//                        callback -> closed
//                        DISSATISFIED: resolved or callback -> reopened
//                        (through callback: resolved -> reopened is not a
//                        move of the state machine); dispatch sends the order
//                        back to its branch, and its order events move the
//                        ticket on from there
//
// Events arrive at least once, late, or out of order. One written before the
// newest callback event applied to the ticket (a smaller Event.sequence) is
// ignored, and so is any event for a ticket that is neither resolved nor
// waiting for its callback (a scheduling that arrives after the completion,
// a ticket closed or cancelled meanwhile), and a completion without an
// outcome: ignoring is not an error. An event without a sequence (0) is
// judged by the status alone.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hotline/common/v1/common.pb.h"
#include "hotline/survey/v1/events.pb.h"

namespace hotline::intake {

inline constexpr char kCallbackScheduledTopic[] = "callback.scheduled";
inline constexpr char kCallbackCompletedTopic[] = "callback.completed";

// The topics intake subscribes to, in the order above.
const std::vector<std::string>& CallbackEventTopics();

struct CallbackEventDecision {
  enum class Kind {
    kApply,   // move through `path`, in order
    kIgnore,  // late, or not for the ticket's status: `reason` says why
  };
  Kind kind = Kind::kIgnore;
  std::vector<common::v1::TicketStatus> path;
  std::string reason;
};

// `current`: the ticket's status; `last_applied`: the sequence of the newest
// callback event applied to the ticket so far (none yet: nullopt);
// `sequence`: the event's. An unknown topic is ignored.
CallbackEventDecision DecideCallbackEvent(common::v1::TicketStatus current,
                                          std::optional<int64_t> last_applied,
                                          absl::string_view topic, int64_t sequence,
                                          const survey::v1::CallbackEvent& callback);

// The history detail of a callback event, as people read it, e.g.
//   "callback scheduled (task T-1)"
//   "callback: customer satisfied, problem solved (1 attempt)"
//   "callback: customer dissatisfied, problem not solved: 还是停电 (2 attempts)"
//   "callback: customer unreachable after 3 attempts"
//   "no callback: anonymous report"
std::string DescribeCallback(absl::string_view topic, const survey::v1::CallbackEvent& callback);

}  // namespace hotline::intake
