#include "services/intake/calls/desk/call_metrics.h"

#include <map>

#include "libs/metrics/registry.h"

namespace hotline::intake {
namespace {

using Buckets = prometheus::Histogram::BucketBoundaries;

// Rings: the target is 3 rings or 9 seconds.
const Buckets& RingBuckets() {
  static const auto* b = new Buckets{1, 2, 3, 5, 7, 9, 12, 15, 20, 30, 60};
  return *b;
}
const Buckets& WaitBuckets() {
  static const auto* b = new Buckets{5, 10, 20, 30, 60, 120, 180, 300, 600, 1200};
  return *b;
}
// Talk: the target average is at most 150 seconds.
const Buckets& TalkBuckets() {
  static const auto* b = new Buckets{30, 60, 90, 120, 150, 180, 240, 300, 450, 600, 900, 1800};
  return *b;
}
// Mute: one use at most 30 seconds.
const Buckets& MuteBuckets() {
  static const auto* b = new Buckets{5, 10, 15, 20, 30, 45, 60, 120, 300};
  return *b;
}

}  // namespace

CallMetrics::CallMetrics(prometheus::Registry& registry, std::set<std::string> queues)
    : queues_(std::move(queues)),
      offered_(metrics::CounterFamily("hotline_calls_offered_total",
                                      "Calls offered to the hotline, by queue and channel.",
                                      registry)),
      agent_requested_(metrics::CounterFamily(
          "hotline_calls_agent_requested_total",
          "Calls that asked for an agent (the human answer rate's denominator).", registry)),
      answered_(metrics::CounterFamily(
          "hotline_calls_answered_total",
          "Calls answered, by queue and by whom: agent or ivr (automatic voice line).", registry)),
      abandoned_(metrics::CounterFamily(
          "hotline_calls_abandoned_total",
          "Calls whose caller hung up before an agent answered, by queue.", registry)),
      ring_seconds_(metrics::HistogramFamily("hotline_call_ring_seconds",
                                             "Ring time of calls answered by an agent.", registry)
                        .Add({}, RingBuckets())),
      wait_seconds_(metrics::HistogramFamily(
                        "hotline_call_wait_seconds",
                        "Queue wait of calls answered by an agent or abandoned.", registry)
                        .Add({}, WaitBuckets())),
      talk_seconds_(metrics::HistogramFamily("hotline_call_talk_seconds",
                                             "Talk (handling) time of calls answered by an agent.",
                                             registry)
                        .Add({}, TalkBuckets())),
      transfers_(metrics::CounterFamily("hotline_call_transfers_total", "Call transfers by agents.",
                                        registry)
                     .Add({})),
      conflicting_events_(
          metrics::CounterFamily(
              "hotline_call_events_conflicting_total",
              "Call events refused because their id was recorded before with other content.",
              registry)
              .Add({})),
      mute_seconds_(metrics::HistogramFamily("hotline_call_mute_seconds",
                                             "Length of each use of mute.", registry)
                        .Add({}, MuteBuckets())),
      waiting_(metrics::GaugeFamily("hotline_calls_waiting",
                                    "Calls waiting for an agent now, by queue.", registry)),
      agents_(
          metrics::GaugeFamily("hotline_agents", "Agents in the live queue, by state.", registry)) {
  for (AgentState state : AllAgentStates()) {
    if (state != AgentState::kLoggedOut) {
      agents_.Add({{"state", std::string(AgentStateName(state))}}).Set(0);
    }
  }
  // The answer rate's series exist from the start, at 0: a series that first
  // appears with its first call hides that call from Prometheus' rate().
  std::set<std::string> labels = queues_;
  labels.insert("other");
  for (const std::string& queue : labels) {
    agent_requested_.Add({{"queue", queue}});
    answered_.Add({{"queue", queue}, {"by", "agent"}});
    answered_.Add({{"queue", queue}, {"by", "ivr"}});
  }
}

std::string CallMetrics::QueueLabel(const std::string& queue) const {
  return queues_.count(queue) > 0 ? queue : "other";
}

void CallMetrics::Count(const CallCounts& counts) {
  if (counts.empty()) {
    return;
  }
  const std::string queue = QueueLabel(counts.queue);
  if (counts.offered) {
    offered_.Add({{"queue", queue}, {"channel", counts.channel}}).Increment();
  }
  if (counts.asked_for_agent) {
    agent_requested_.Add({{"queue", queue}}).Increment();
  }
  if (counts.answered_by_agent) {
    answered_.Add({{"queue", queue}, {"by", "agent"}}).Increment();
  }
  if (counts.answered_by_ivr) {
    answered_.Add({{"queue", queue}, {"by", "ivr"}}).Increment();
  }
  if (counts.abandoned) {
    abandoned_.Add({{"queue", queue}}).Increment();
  }
  if (counts.ring_seconds) {
    ring_seconds_.Observe(*counts.ring_seconds);
  }
  for (int seconds : counts.wait_seconds) {
    wait_seconds_.Observe(seconds);
  }
  if (counts.talk_seconds) {
    talk_seconds_.Observe(*counts.talk_seconds);
  }
  if (counts.transfers > 0) {
    transfers_.Increment(counts.transfers);
  }
  for (int seconds : counts.mute_seconds) {
    mute_seconds_.Observe(seconds);
  }
}

void CallMetrics::SetLive(const std::vector<LiveQueue>& queues) {
  std::map<AgentState, std::set<std::string>> agents;
  absl::MutexLock lock(&mu_);
  std::map<std::string, size_t> waiting;  // by label
  for (const LiveQueue& queue : queues) {
    waiting[QueueLabel(queue.queue)] += queue.waiting.size();
    for (const auto& [state, ids] : queue.agents) {
      agents[state].insert(ids.begin(), ids.end());
    }
  }
  for (const auto& [label, count] : waiting) {
    waiting_.Add({{"queue", label}}).Set(static_cast<double>(count));
    waiting_queues_.insert(label);
  }
  for (const std::string& label : waiting_queues_) {
    if (waiting.count(label) == 0) {
      waiting_.Add({{"queue", label}}).Set(0);
    }
  }
  for (AgentState state : AllAgentStates()) {
    if (state != AgentState::kLoggedOut) {
      agents_.Add({{"state", std::string(AgentStateName(state))}})
          .Set(static_cast<double>(agents[state].size()));
    }
  }
}

}  // namespace hotline::intake
