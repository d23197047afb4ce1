#include "services/intake/calls/domain/call_record.h"

#include <algorithm>

namespace hotline::intake {

CallRecord DeriveCall(const std::string& call_id, std::vector<CallEvent> events) {
  std::sort(events.begin(), events.end(), EventBefore);
  events.erase(
      std::unique(events.begin(), events.end(),
                  [](const CallEvent& a, const CallEvent& b) { return a.event_id == b.event_id; }),
      events.end());

  CallRecord call;
  call.call_id = call_id;
  call.events = static_cast<int>(events.size());
  if (events.empty()) {
    return call;
  }
  call.first_event_at = events.front().at;
  call.last_event_at = events.back().at;

  std::string queued_queue;
  std::string any_queue;
  std::optional<absl::Time> first_ringing_at;
  for (const CallEvent& e : events) {
    if (any_queue.empty() && !e.queue.empty()) {
      any_queue = e.queue;
    }
    switch (e.kind) {
      case CallEventKind::kOffered:
        if (!call.offered()) {
          call.offered_at = e.at;
          call.queue = e.queue;
          call.channel = e.channel;
          call.route = e.route;
          if (e.route == CallRoute::kAgent) {
            call.asked_for_agent = true;
          }
        }
        break;
      case CallEventKind::kIvrFinished:
        if (!call.ivr_finished) {
          call.ivr_finished = true;
          call.ivr_topic = e.ivr_topic;
        }
        break;
      case CallEventKind::kQueued:
        call.asked_for_agent = true;
        if (!call.queued_at) {
          call.queued_at = e.at;
          queued_queue = e.queue;
        }
        break;
      case CallEventKind::kRinging:
        call.asked_for_agent = true;
        if (!first_ringing_at) {
          first_ringing_at = e.at;
        }
        break;
      case CallEventKind::kAnswered:
        call.asked_for_agent = true;
        if (!call.answered) {
          call.answered = true;
          call.answered_at = e.at;
          call.agent_id = e.agent_id;
          call.ring_seconds = e.ring_seconds;
          call.answer_wait_seconds = e.wait_seconds;
        }
        break;
      case CallEventKind::kAbandoned:
        call.asked_for_agent = true;
        if (!call.abandoned) {
          call.abandoned = true;
          call.abandoned_at = e.at;
          call.abandon_stage = e.abandon_stage;
          call.abandon_wait_seconds = e.wait_seconds;
        }
        break;
      case CallEventKind::kTransferred:
        ++call.transfers;
        break;
      case CallEventKind::kMuted:
        call.mute_seconds.push_back(e.mute_seconds);
        break;
      case CallEventKind::kEnded:
        if (!call.ended) {
          call.ended = true;
          call.ended_at = e.at;
          call.talk_seconds = e.talk_seconds;
        }
        break;
      case CallEventKind::kTicketLinked:
        if (std::find(call.ticket_ids.begin(), call.ticket_ids.end(), e.ticket_id) ==
            call.ticket_ids.end()) {
          call.ticket_ids.push_back(e.ticket_id);
        }
        break;
    }
  }
  if (!call.offered()) {
    call.queue = !queued_queue.empty() ? queued_queue : any_queue;
  }
  call.waiting = call.asked_for_agent && !call.answered && !call.abandoned && !call.ended;
  if (call.waiting) {
    if (call.queued_at) {
      call.waiting_since = call.queued_at;
    } else if (call.offered()) {
      call.waiting_since = call.offered_at;
    } else if (first_ringing_at) {
      call.waiting_since = first_ringing_at;
    } else {
      call.waiting_since = call.first_event_at;
    }
  }
  return call;
}

}  // namespace hotline::intake
