#include "services/intake/calls/domain/call_counting.h"

namespace hotline::intake {

bool CallCounts::empty() const {
  return !offered && !asked_for_agent && !answered_by_agent && !answered_by_ivr && !abandoned &&
         !talk_seconds && transfers == 0 && mute_seconds.empty();
}

CountingResult CountNewFacts(const CallRecord& call, const CountedFacts& counted,
                             const std::vector<CallEvent>& inserted) {
  CountingResult result;
  result.counted = counted;
  if (!call.offered()) {
    return result;
  }
  CountedFacts& now = result.counted;
  CallCounts& counts = result.counts;
  counts.queue = call.queue;
  counts.channel = call.channel;
  const bool starting = !counted.offered;
  if (starting) {
    now.offered = counts.offered = true;
  }
  if (call.asked_for_agent && !counted.asked_for_agent) {
    now.asked_for_agent = counts.asked_for_agent = true;
  }
  if (call.answered && !counted.answered_by_agent) {
    now.answered_by_agent = counts.answered_by_agent = true;
    counts.ring_seconds = call.ring_seconds;
    counts.wait_seconds.push_back(call.answer_wait_seconds);
  }
  if (call.ivr_finished && !counted.answered_by_ivr) {
    now.answered_by_ivr = counts.answered_by_ivr = true;
  }
  if (call.abandoned && !counted.abandoned) {
    now.abandoned = counts.abandoned = true;
    counts.wait_seconds.push_back(call.abandon_wait_seconds);
  }
  if (call.talked() && !counted.talked) {
    now.talked = true;
    counts.talk_seconds = call.talk_seconds;
  }
  if (call.transfers > counted.transfers) {
    counts.transfers = call.transfers - counted.transfers;
    now.transfers = call.transfers;
  }
  if (starting) {
    counts.mute_seconds = call.mute_seconds;
  } else {
    for (const CallEvent& e : inserted) {
      if (e.kind == CallEventKind::kMuted) {
        counts.mute_seconds.push_back(e.mute_seconds);
      }
    }
  }
  now.mutes = counted.mutes + static_cast<int>(counts.mute_seconds.size());
  return result;
}

}  // namespace hotline::intake
