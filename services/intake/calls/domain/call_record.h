#pragma once

// A call's facts, derived from the set of its events.
//
// DeriveCall reads the events in EventBefore order (time, then event id), so
// the record depends only on WHICH events were recorded, never on the order
// or the number of times they arrived. Where a call has several events of a
// kind that happens once (offered, answered, abandoned, ended, IVR
// finished), the first one in that order counts; transfers and mutes are
// summed; ticket links are collected.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/intake/calls/domain/call_event.h"

namespace hotline::intake {

struct CallRecord {
  std::string call_id;
  // The offered event's queue; before it arrives, the first queued event's,
  // else the first event that names one; "" when none does.
  std::string queue;
  std::string channel;  // from the offered event
  CallRoute route = CallRoute::kUnspecified;
  std::optional<absl::Time> offered_at;  // set once the offered event is recorded

  // Routed to an agent when offered, or any queued, ringing, answered or
  // abandoned event.
  bool asked_for_agent = false;

  bool ivr_finished = false;
  std::string ivr_topic;

  std::optional<absl::Time> queued_at;  // the first queued event

  bool answered = false;  // by an agent
  std::optional<absl::Time> answered_at;
  std::string agent_id;
  int ring_seconds = 0;
  int answer_wait_seconds = 0;

  bool abandoned = false;
  std::optional<absl::Time> abandoned_at;
  AbandonStage abandon_stage = AbandonStage::kUnspecified;
  int abandon_wait_seconds = 0;

  int transfers = 0;
  std::vector<int> mute_seconds;  // one per mute use, in event order

  bool ended = false;
  std::optional<absl::Time> ended_at;
  int talk_seconds = 0;

  std::vector<std::string> ticket_ids;  // distinct, in event order

  absl::Time first_event_at = absl::InfinitePast();
  absl::Time last_event_at = absl::InfinitePast();
  int events = 0;

  // Asked for an agent and not yet answered, abandoned or ended: the call is
  // in the live queue, since its first queued event (else its offered event,
  // else its first event).
  bool waiting = false;
  std::optional<absl::Time> waiting_since;

  bool offered() const { return offered_at.has_value(); }
  // Answered by an agent and ended: its talk time is known.
  bool talked() const { return answered && ended; }

  bool operator==(const CallRecord& other) const = default;
};

// The record of call `call_id` from its events (which must all belong to it;
// duplicates by event id are ignored). With no events: an empty record.
CallRecord DeriveCall(const std::string& call_id, std::vector<CallEvent> events);

}  // namespace hotline::intake
