#pragma once

// A deterministic day of call events in the proportions of the 2004 county
// year of the shared domain.md: 455,739 calls a year, of which 72,500 were
// served by the automatic voice line (IVR), 374,930 answered by an agent and
// 8,309 asked for an agent and were not answered; scaled to one day (each
// figure / 365, rounded): 199 IVR, 1,027 answered, 23 abandoned = 1,249.
// Ring times cluster around the 9-second target, talk times around 150 s;
// a few calls are transferred or use mute. The generator keeps its own
// tally, the figures computed by hand that the service must reproduce.
//
// Header-only test data (the end-to-end test binaries link only the
// fixtures and the protos). The random engine is std::mt19937_64, fully
// specified by the standard, and no std distribution is used (those are
// implementation-defined), so the same seed gives the same day everywhere.

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "hotline/intake/v1/call_center.pb.h"

namespace hotline::intake::testdata {

struct CountyYear {
  int64_t calls = 455739;
  int64_t ivr = 72500;
  int64_t answered = 374930;
  int64_t unanswered = 8309;
  int days = 365;
};

struct CallDayTally {
  int offered = 0;
  int ivr = 0;
  int asked_for_agent = 0;
  int answered = 0;
  int abandoned = 0;
  int abandoned_queued = 0;
  int abandoned_ringing = 0;
  int answered_within_9s = 0;
  int talked = 0;
  int64_t talk_seconds_total = 0;
  int talked_within_150s = 0;  // talk time at most 150 s, the le="150" bucket
  int transferred_calls = 0;
  int transfer_events = 0;
  int mutes = 0;
  int mutes_over_30s = 0;
  std::map<std::string, int> offered_by_queue;
};

struct CallDay {
  std::vector<v1::CallEvent> events;  // call after call, each call's events in order
  CallDayTally tally;
};

class CallDayGenerator {
 public:
  CallDayGenerator(uint64_t seed, absl::Time day_start) : random_(seed), day_start_(day_start) {}

  static int PerDay(int64_t yearly, int days) {
    return static_cast<int>(std::lround(static_cast<double>(yearly) / days));
  }

  CallDay Generate(const CountyYear& year = CountyYear()) {
    enum Kind { kIvr, kAnswered, kAbandoned };
    std::vector<Kind> kinds;
    kinds.insert(kinds.end(), PerDay(year.ivr, year.days), kIvr);
    kinds.insert(kinds.end(), PerDay(year.answered, year.days), kAnswered);
    kinds.insert(kinds.end(), PerDay(year.unanswered, year.days), kAbandoned);
    Shuffle(kinds);
    CallDay day;
    const int64_t spacing_ms = 86400000 / static_cast<int64_t>(kinds.size());
    for (size_t i = 0; i < kinds.size(); ++i) {
      absl::Time offered = day_start_ + absl::Milliseconds(static_cast<int64_t>(i) * spacing_ms +
                                                           Below(spacing_ms / 2));
      std::string call_id = absl::StrFormat("day-c%05d", static_cast<int>(i));
      switch (kinds[i]) {
        case kIvr:
          IvrCall(call_id, offered, day);
          break;
        case kAnswered:
          AnsweredCall(call_id, offered, day);
          break;
        case kAbandoned:
          AbandonedCall(call_id, offered, day);
          break;
      }
    }
    return day;
  }

  // `events` with about `share` of them sent a second time, all in a random
  // order. `*copies` gets the number of extra copies.
  std::vector<v1::CallEvent> DuplicateAndShuffle(const std::vector<v1::CallEvent>& events,
                                                 int share_percent, int* copies) {
    std::vector<v1::CallEvent> out = events;
    *copies = 0;
    for (const v1::CallEvent& e : events) {
      if (Below(100) < share_percent) {
        out.push_back(e);
        ++*copies;
      }
    }
    Shuffle(out);
    return out;
  }

 private:
  int64_t Below(int64_t n) { return n <= 0 ? 0 : static_cast<int64_t>(random_() % n); }
  bool Percent(int p) { return Below(100) < p; }

  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      std::swap(v[i - 1], v[static_cast<size_t>(Below(static_cast<int64_t>(i)))]);
    }
  }

  std::string Queue() { return Percent(35) ? "repair" : "general"; }

  v1::CallEvent Event(const std::string& call_id, int n, absl::Time at,
                      const std::string& queue = "") {
    v1::CallEvent e;
    e.set_event_id(absl::StrCat(call_id, "-e", n));
    e.set_call_id(call_id);
    e.set_queue(queue);
    int64_t micros = absl::ToUnixMicros(at);
    e.mutable_at()->set_seconds(micros / 1000000);
    e.mutable_at()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
    return e;
  }

  void Offer(const std::string& call_id, const std::string& queue, absl::Time at,
             v1::CallRoute route, CallDay& day) {
    v1::CallEvent e = Event(call_id, 1, at, queue);
    e.mutable_offered()->set_route(route);
    e.mutable_offered()->set_channel(Percent(5) ? common::v1::CHANNEL_TRANSFER_12345
                                                : common::v1::CHANNEL_PHONE);
    day.events.push_back(e);
    ++day.tally.offered;
    ++day.tally.offered_by_queue[queue];
  }

  void End(const std::string& call_id, int n, absl::Time at, int talk, CallDay& day) {
    v1::CallEvent e = Event(call_id, n, at);
    e.mutable_ended()->set_talk_seconds(talk);
    day.events.push_back(e);
  }

  void IvrCall(const std::string& call_id, absl::Time t, CallDay& day) {
    Offer(call_id, Queue(), t, v1::CALL_ROUTE_IVR, day);
    // Outage notices were the largest use (46.3%), then complaints and bills.
    int64_t r = Below(1000);
    v1::IvrTopic topic = r < 463   ? v1::IVR_TOPIC_OUTAGE_NOTICE
                         : r < 670 ? v1::IVR_TOPIC_COMPLAINT
                         : r < 793 ? v1::IVR_TOPIC_BILL
                         : r < 880 ? v1::IVR_TOPIC_POLICY
                         : r < 940 ? v1::IVR_TOPIC_BUSINESS
                                   : v1::IVR_TOPIC_SURVEY;
    absl::Time done = t + absl::Seconds(20 + Below(100));
    v1::CallEvent e = Event(call_id, 2, done);
    e.mutable_ivr_finished()->set_topic(topic);
    day.events.push_back(e);
    End(call_id, 3, done + absl::Seconds(1), 0, day);
    ++day.tally.ivr;
  }

  void AnsweredCall(const std::string& call_id, absl::Time t, CallDay& day) {
    const std::string queue = Queue();
    Offer(call_id, queue, t, v1::CALL_ROUTE_AGENT, day);
    day.events.push_back(Event(call_id, 2, t + absl::Seconds(1), queue));
    day.events.back().mutable_queued();
    const int wait = static_cast<int>(2 + Below(40));
    const std::string agent = absl::StrFormat("agent-%02d", static_cast<int>(Below(40)));
    absl::Time ringing = t + absl::Seconds(1 + wait);
    v1::CallEvent ring = Event(call_id, 3, ringing);
    ring.mutable_ringing()->set_agent_id(agent);
    day.events.push_back(ring);
    // Mostly within the 9-second target, some over it.
    const int ring_seconds = static_cast<int>(Percent(85) ? 2 + Below(8) : 10 + Below(6));
    absl::Time answered = ringing + absl::Seconds(ring_seconds);
    v1::CallEvent answer = Event(call_id, 4, answered);
    answer.mutable_answered()->set_agent_id(agent);
    answer.mutable_answered()->set_ring_seconds(ring_seconds);
    answer.mutable_answered()->set_wait_seconds(wait);
    day.events.push_back(answer);
    // Talk around 150 seconds.
    const int talk = static_cast<int>(60 + Below(181));
    int n = 5;
    if (Percent(2)) {
      v1::CallEvent transfer = Event(call_id, n++, answered + absl::Seconds(talk / 2));
      transfer.mutable_transferred()->set_to_queue(queue == "repair" ? "general" : "repair");
      day.events.push_back(transfer);
      ++day.tally.transferred_calls;
      ++day.tally.transfer_events;
    }
    if (Percent(6)) {
      const int seconds = static_cast<int>(5 + Below(50));
      v1::CallEvent mute = Event(call_id, n++, answered + absl::Seconds(talk / 3));
      mute.mutable_muted()->set_agent_id(agent);
      mute.mutable_muted()->set_seconds(seconds);
      day.events.push_back(mute);
      ++day.tally.mutes;
      if (seconds > 30) {
        ++day.tally.mutes_over_30s;
      }
    }
    End(call_id, n++, answered + absl::Seconds(talk), talk, day);
    if (Percent(11)) {  // repairs: a ticket for the call
      v1::CallEvent link = Event(call_id, n++, answered + absl::Seconds(talk + 30));
      link.mutable_ticket_linked()->set_ticket_id(absl::StrCat("ticket-", call_id));
      day.events.push_back(link);
    }
    ++day.tally.asked_for_agent;
    ++day.tally.answered;
    ++day.tally.talked;
    day.tally.talk_seconds_total += talk;
    if (talk <= 150) {
      ++day.tally.talked_within_150s;
    }
    if (ring_seconds <= 9) {
      ++day.tally.answered_within_9s;
    }
  }

  void AbandonedCall(const std::string& call_id, absl::Time t, CallDay& day) {
    const std::string queue = Queue();
    Offer(call_id, queue, t, v1::CALL_ROUTE_AGENT, day);
    day.events.push_back(Event(call_id, 2, t + absl::Seconds(1), queue));
    day.events.back().mutable_queued();
    const int wait = static_cast<int>(20 + Below(100));
    int n = 3;
    v1::AbandonStage stage = v1::ABANDON_STAGE_QUEUED;
    if (Percent(30)) {
      stage = v1::ABANDON_STAGE_RINGING;
      v1::CallEvent ring = Event(call_id, n++, t + absl::Seconds(wait - 5));
      ring.mutable_ringing()->set_agent_id("agent-00");
      day.events.push_back(ring);
      ++day.tally.abandoned_ringing;
    } else {
      ++day.tally.abandoned_queued;
    }
    absl::Time gone = t + absl::Seconds(1 + wait);
    v1::CallEvent abandon = Event(call_id, n++, gone);
    abandon.mutable_abandoned()->set_stage(stage);
    abandon.mutable_abandoned()->set_wait_seconds(wait);
    day.events.push_back(abandon);
    End(call_id, n++, gone, 0, day);
    ++day.tally.asked_for_agent;
    ++day.tally.abandoned;
  }

  std::mt19937_64 random_;
  absl::Time day_start_;
};

}  // namespace hotline::intake::testdata
