// intake's CallCenter requests (services/intake/calls/api/call_center_proto.h):
// call events, agents' states and the figures' periods, parsed, cleaned and
// checked as the handler does; and a call's record from its events, which
// must not depend on the order or the repeats of the events
// (services/intake/calls/domain/call_record.h). The first byte chooses; the
// rest is the request's wire form.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/intake/calls/api/call_center_proto.h"
#include "services/intake/calls/domain/call_record.h"
#include "tests/fuzz/fuzz_support.h"

namespace hotline::intake {
namespace {

using fuzz::Expect;
using fuzz::ExpectClientAnswer;
using fuzz::kNow;

const absl::Duration kMaxAhead = absl::Minutes(5);

// RecordCallEvent: an accepted event comes back from its proto unchanged.
void CheckEvent(absl::string_view bytes) {
  v1::CallEvent proto;
  if (!fuzz::ReceiveRequest(bytes, proto)) {
    return;
  }
  absl::StatusOr<CallEvent> event = CallEventFromProto(proto, kNow, kMaxAhead);
  ExpectClientAnswer(event.status(), "CallEventFromProto");
  if (!event.ok()) {
    return;
  }
  absl::StatusOr<CallEvent> again = CallEventFromProto(CallEventToProto(*event), kNow, kMaxAhead);
  Expect(again.ok(), "an accepted event, written back to its proto, is accepted", again.status());
  Expect(*again == *event, "an accepted event comes back from its proto unchanged");
}

// StreamCallEvents: the accepted events of the batch's first call, as the
// store keeps them (the first of an event id: ON CONFLICT DO NOTHING), derived
// in their order, reversed, and each twice, make one record. (DeriveCall
// leaves two different events of one id and one time in the order given: the
// store never holds both.)
void CheckBatch(absl::string_view bytes) {
  v1::CallEventBatch batch;
  if (!fuzz::ReceiveRequest(bytes, batch)) {
    return;
  }
  std::vector<CallEvent> events;
  for (int i = 0; i < batch.events_size(); ++i) {
    absl::StatusOr<CallEvent> event =
        CallEventFromProto(batch.events(i), kNow, kMaxAhead, absl::StrCat("events[", i, "]."));
    ExpectClientAnswer(event.status(), "CallEventFromProto");
    if (!event.ok() || (!events.empty() && event->call_id != events.front().call_id) ||
        std::any_of(events.begin(), events.end(),
                    [&](const CallEvent& kept) { return kept.event_id == event->event_id; })) {
      continue;
    }
    events.push_back(*std::move(event));
  }
  if (events.empty()) {
    return;
  }
  const std::string call_id = events.front().call_id;
  const CallRecord record = DeriveCall(call_id, events);
  std::vector<CallEvent> shuffled(events.rbegin(), events.rend());
  shuffled.insert(shuffled.end(), events.begin(), events.end());
  Expect(DeriveCall(call_id, shuffled) == record,
         "a call's record depends only on which events it has");
  Expect(record.first_event_at <= record.last_event_at, "the first event is not after the last");
  Expect(!record.waiting || (!record.answered && !record.abandoned && !record.ended),
         "a waiting call is neither answered, abandoned nor ended");
}

void CheckAgentState(absl::string_view bytes) {
  v1::SetAgentStateRequest request;
  if (!fuzz::ReceiveRequest(bytes, request)) {
    return;
  }
  absl::StatusOr<AgentStateChange> change = AgentStateChangeFromProto(request, kNow, kMaxAhead);
  ExpectClientAnswer(change.status(), "AgentStateChangeFromProto");
  if (!change.ok()) {
    return;
  }
  Expect(change->queues.size() <= static_cast<size_t>(kMaxAgentQueues), "at most 50 queues");
  std::vector<std::string> sorted = change->queues;
  std::sort(sorted.begin(), sorted.end());
  Expect(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), "no queue twice");
  Expect(!change->at.has_value() || *change->at <= kNow + kMaxAhead, "not too far ahead");
}

void CheckStats(absl::string_view bytes) {
  v1::GetCallStatsRequest request;
  if (!fuzz::ReceiveRequest(bytes, request)) {
    return;
  }
  absl::StatusOr<CallStatsQuery> query = CallStatsQueryFromProto(request, CallStatsRules());
  ExpectClientAnswer(query.status(), "CallStatsQueryFromProto");
  if (!query.ok()) {
    return;
  }
  Expect(query->from < query->to, "a period starts before it ends");
  Expect(query->to - query->from <= kMaxStatsPeriod, "a period of at most 400 days");
}

}  // namespace
}  // namespace hotline::intake

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t choice = 0;
  absl::string_view rest;
  if (!hotline::fuzz::SplitChoice(data, size, choice, rest)) {
    return 0;
  }
  switch (choice % 4) {
    case 0:
      hotline::intake::CheckEvent(rest);
      break;
    case 1:
      hotline::intake::CheckBatch(rest);
      break;
    case 2:
      hotline::intake::CheckAgentState(rest);
      break;
    default:
      hotline::intake::CheckStats(rest);
      break;
  }
  return 0;
}
