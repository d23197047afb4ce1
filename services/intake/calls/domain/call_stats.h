#pragma once

// The call-handling figures of the 95598 assessment, from call records.
// The formulas (also documented on GetCallStatsRequest in
// call_center.proto); a ratio whose denominator is 0 is 0:
//
//   human_answer_rate               = answered_by_agent / asked_for_agent
//   answered_within_threshold_share = answered with ring_seconds <= ring threshold
//                                     / answered_by_agent
//   average_talk_seconds            = sum(talk_seconds) / talked
//                                     (talked: answered by an agent and ended)
//   transfer_rate                   = transferred (answered, >= 1 transfer)
//                                     / answered_by_agent
//   mutes_over_limit                = mute uses with seconds > mute limit
//
// Only offered calls (CallRecord::offered()) count; the caller selects the
// period and queue. The service counts in SQL (CallStore::LoadStats, the
// same definitions) and derives the rates with SetRates; ComputeCallStats
// is the same in memory, the reference its tests compare with.

#include <cstdint>
#include <vector>

#include "services/intake/calls/domain/call_record.h"

namespace hotline::intake {

// The configurable thresholds (domain.md: 3 rings or 9 seconds; one mute at
// most 30 seconds).
struct CallStatsRules {
  int ring_threshold_seconds = 9;
  int mute_limit_seconds = 30;

  bool operator==(const CallStatsRules& other) const = default;
};

struct CallStats {
  int64_t offered = 0;
  int64_t asked_for_agent = 0;
  int64_t answered_by_agent = 0;
  int64_t answered_by_ivr = 0;
  int64_t abandoned = 0;
  int64_t abandoned_while_queued = 0;
  int64_t abandoned_while_ringing = 0;
  double human_answer_rate = 0;
  int64_t answered_within_threshold = 0;
  double answered_within_threshold_share = 0;
  int64_t talked = 0;
  int64_t talk_seconds_total = 0;
  double average_talk_seconds = 0;
  int64_t transferred = 0;
  double transfer_rate = 0;
  int64_t mutes = 0;
  int64_t mutes_over_limit = 0;
  CallStatsRules rules;

  bool operator==(const CallStats& other) const = default;
};

CallStats ComputeCallStats(const std::vector<CallRecord>& calls, const CallStatsRules& rules);

// Sets the rates and the average of `stats` from its counts.
void SetRates(CallStats& stats);

}  // namespace hotline::intake
