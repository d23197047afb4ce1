#pragma once

// Call events of one call ("C1"), seconds after a fixed start, for the
// calls' unit tests.

#include <string>

#include "absl/time/time.h"
#include "services/intake/calls/domain/call_event.h"

namespace hotline::intake::testdata {

inline const absl::Time kT0 = absl::FromUnixSeconds(1780000000);

inline CallEvent Event(std::string id, CallEventKind kind, int second) {
  CallEvent e;
  e.event_id = std::move(id);
  e.call_id = "C1";
  e.kind = kind;
  e.at = kT0 + absl::Seconds(second);
  return e;
}

}  // namespace hotline::intake::testdata
