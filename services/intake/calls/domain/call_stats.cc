#include "services/intake/calls/domain/call_stats.h"

namespace hotline::intake {
namespace {

double Ratio(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

CallStats ComputeCallStats(const std::vector<CallRecord>& calls, const CallStatsRules& rules) {
  CallStats stats;
  stats.rules = rules;
  for (const CallRecord& call : calls) {
    if (!call.offered()) {
      continue;
    }
    ++stats.offered;
    if (call.asked_for_agent) {
      ++stats.asked_for_agent;
    }
    if (call.ivr_finished) {
      ++stats.answered_by_ivr;
    }
    if (call.abandoned) {
      ++stats.abandoned;
      if (call.abandon_stage == AbandonStage::kQueued) {
        ++stats.abandoned_while_queued;
      } else if (call.abandon_stage == AbandonStage::kRinging) {
        ++stats.abandoned_while_ringing;
      }
    }
    if (call.answered) {
      ++stats.answered_by_agent;
      if (call.ring_seconds <= rules.ring_threshold_seconds) {
        ++stats.answered_within_threshold;
      }
      if (call.transfers > 0) {
        ++stats.transferred;
      }
    }
    if (call.talked()) {
      ++stats.talked;
      stats.talk_seconds_total += call.talk_seconds;
    }
    for (int seconds : call.mute_seconds) {
      ++stats.mutes;
      if (seconds > rules.mute_limit_seconds) {
        ++stats.mutes_over_limit;
      }
    }
  }
  SetRates(stats);
  return stats;
}

void SetRates(CallStats& stats) {
  stats.human_answer_rate = Ratio(stats.answered_by_agent, stats.asked_for_agent);
  stats.answered_within_threshold_share =
      Ratio(stats.answered_within_threshold, stats.answered_by_agent);
  stats.average_talk_seconds = Ratio(stats.talk_seconds_total, stats.talked);
  stats.transfer_rate = Ratio(stats.transferred, stats.answered_by_agent);
}

}  // namespace hotline::intake
