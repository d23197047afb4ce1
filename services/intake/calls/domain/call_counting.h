#pragma once

// Which of a call's facts the Prometheus counters should count now, so that
// each call is counted once however often and in whatever order its events
// arrive. The call's row remembers what has been counted (CountedFacts); the
// store runs CountNewFacts in the transaction that recorded new events, saves
// the returned CountedFacts with the row, and hands CallCounts to the metrics
// once the transaction has committed.
//
// Rules:
//  - nothing is counted before the call's offered event is recorded (it
//    gives the queue and channel labels); then everything true so far is;
//  - a yes/no fact (offered, asked for an agent, answered by agent or IVR,
//    abandoned, talked) is counted the first time it is true, with the
//    values the record holds at that moment (ring, wait, talk seconds);
//  - transfers are counted up to the call's number of transfer events;
//  - each mute use is observed once: all of them when counting starts, then
//    those recorded by later transactions.

#include <optional>
#include <string>
#include <vector>

#include "services/intake/calls/domain/call_event.h"
#include "services/intake/calls/domain/call_record.h"

namespace hotline::intake {

struct CountedFacts {
  bool offered = false;
  bool asked_for_agent = false;
  bool answered_by_agent = false;
  bool answered_by_ivr = false;
  bool abandoned = false;
  bool talked = false;
  int transfers = 0;
  int mutes = 0;

  bool operator==(const CountedFacts& other) const = default;
};

// What to add to the metrics for one call.
struct CallCounts {
  std::string queue;
  std::string channel;
  bool offered = false;
  bool asked_for_agent = false;
  bool answered_by_agent = false;
  bool answered_by_ivr = false;
  bool abandoned = false;
  std::optional<int> ring_seconds;  // with answered_by_agent
  std::vector<int> wait_seconds;    // answered (queue wait) and/or abandoned
  std::optional<int> talk_seconds;  // once talked
  int transfers = 0;
  std::vector<int> mute_seconds;

  bool empty() const;
  bool operator==(const CallCounts& other) const = default;
};

struct CountingResult {
  CountedFacts counted;  // to store with the call
  CallCounts counts;     // to add to the metrics after commit
};

// `inserted` are the events of `call` first recorded by this transaction
// (duplicates excluded); `call` is already derived with them.
CountingResult CountNewFacts(const CallRecord& call, const CountedFacts& counted,
                             const std::vector<CallEvent>& inserted);

}  // namespace hotline::intake
