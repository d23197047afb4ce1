#pragma once

// The call centre's Prometheus metrics (on the process registry):
//
//   hotline_calls_offered_total{queue,channel}      calls offered
//   hotline_calls_agent_requested_total{queue}      calls that asked for an agent
//   hotline_calls_answered_total{queue,by}          by = agent | ivr
//   hotline_calls_abandoned_total{queue}
//   hotline_call_ring_seconds                       ring time of calls answered by an agent
//   hotline_call_wait_seconds                       queue wait of answered and abandoned calls
//   hotline_call_talk_seconds                       talk (handling) time of answered calls
//   hotline_call_transfers_total
//   hotline_call_mute_seconds                       one observation per mute use
//   hotline_calls_waiting{queue}                    gauge, from the live queue
//   hotline_call_events_conflicting_total           event ids resent with other content (refused)
//
// The queue label is one of the configured queues (--calls-metric-queues) or
// "other". The agent-requested and answered series of every such queue exist
// from the start, at 0, so that rate() sees a queue's first calls.
//   hotline_agents{state}                           gauge, agents by state in the live queue
//
// Counters count each call once (see call_counting.h), so the PromQL
//   sum(hotline_calls_answered_total{by="agent"}) / sum(hotline_calls_agent_requested_total)
// is GetCallStats' human answer rate over the same calls.
//
// Thread-safe.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "services/intake/calls/domain/call_counting.h"
#include "services/intake/calls/domain/live_queue.h"

namespace hotline::intake {

class CallMetrics {
 public:
  // `queues`: the queue names that get a label of their own; calls and
  // waiting counts of any other queue (the names come from the telephony
  // side) go under queue="other", so the series stay bounded.
  CallMetrics(prometheus::Registry& registry, std::set<std::string> queues);

  // Adds one call's newly counted facts.
  void Count(const CallCounts& counts);
  // An event id was sent again with other content (and refused).
  void CountConflictingEvent() { conflicting_events_.Increment(); }

  // Sets the gauges from the live queue (every queue of `queues`; queues seen
  // before and now absent drop to 0). Agents in several queues count once.
  void SetLive(const std::vector<LiveQueue>& queues);

 private:
  std::string QueueLabel(const std::string& queue) const;

  const std::set<std::string> queues_;
  prometheus::Family<prometheus::Counter>& offered_;
  prometheus::Family<prometheus::Counter>& agent_requested_;
  prometheus::Family<prometheus::Counter>& answered_;
  prometheus::Family<prometheus::Counter>& abandoned_;
  prometheus::Histogram& ring_seconds_;
  prometheus::Histogram& wait_seconds_;
  prometheus::Histogram& talk_seconds_;
  prometheus::Counter& transfers_;
  prometheus::Counter& conflicting_events_;
  prometheus::Histogram& mute_seconds_;
  prometheus::Family<prometheus::Gauge>& waiting_;
  prometheus::Family<prometheus::Gauge>& agents_;

  absl::Mutex mu_;
  std::set<std::string> waiting_queues_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hotline::intake
