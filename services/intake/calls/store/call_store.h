#pragma once

// The call centre's tables in PostgreSQL (migrations/0002_calls.sql):
// call_events (every event), calls (each call's facts derived from its
// events, and what the metrics counted) and call_agents (each agent's last
// state).
//
// Live-queue consistency (docs/architecture.md, "PostgreSQL and Redis"): the
// desk writes Redis after these writers commit. Every writer takes a shared
// transaction-level advisory lock; the rebuild (WithLiveTruth) takes it
// exclusively while it reads the truth and writes Redis. So a writer that
// commits after the rebuild's snapshot writes Redis after the rebuild did,
// and a rebuild never overwrites a newer change with an older snapshot.
//
// Thread-safe (each call uses its own pooled connection). Errors: the pool's
// and the mapped database errors (libs/pg/errors.h); NOT_FOUND where noted.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/pg/pool.h"
#include "services/intake/calls/domain/call_counting.h"
#include "services/intake/calls/domain/call_event.h"
#include "services/intake/calls/domain/call_record.h"
#include "services/intake/calls/domain/call_stats.h"
#include "services/intake/calls/domain/live_queue.h"

namespace hotline::intake {

// The start of RecordEvents' message for an event id reused with other content.
inline constexpr absl::string_view kConflictPrefix = "event_id: ";

// A call whose record changed in a transaction.
struct CallChange {
  CallRecord call;             // derived from all its events
  std::string previous_queue;  // the queue its row had before ("" for a new call)
  CallCounts counts;           // what the metrics should count now
};

struct RecordResult {
  std::vector<bool> duplicate;      // per input event: its id was recorded before
  std::vector<CallChange> changes;  // one per call that got new events
  int64_t recorded = 0;
  int64_t duplicates = 0;
};

struct AgentChange {
  AgentStatus agent;                         // the state after the call
  std::vector<std::string> previous_queues;  // the queues before
  bool stale = false;                        // the request was older: nothing changed
};

class CallStore {
 public:
  explicit CallStore(pg::Pool& pool) : pool_(pool) {}

  // Records `events` (already validated) in one transaction: stores the new
  // ones (an event id seen before is a duplicate and changes nothing),
  // derives each touched call from all its events, decides what the metrics
  // count (CountNewFacts) and saves both with the call's row. A call without
  // a row gets it inserted whole, derived from the batch's events: this rests
  // on every batch that records events of a call making the call's row in the
  // same transaction, so that a call without a row has no stored events.
  // Every other call is locked, derived from its stored timeline and updated.
  // All the batch's calls are first offered for insert in one statement, in
  // call id order (a batch waits there only for another's insert of the same
  // row, and holds no row lock meanwhile); the calls that had a row are then
  // locked in call id order; so concurrent batches do not deadlock.
  // An event id recorded before with other content refuses the whole batch:
  // INVALID_ARGUMENT whose message starts with kConflictPrefix and names the id.
  absl::StatusOr<RecordResult> RecordEvents(const std::vector<CallEvent>& events);

  // Sets an agent's state. `queues` empty keeps the recorded ones. A change
  // older than the recorded one (`at` before its since) changes nothing and
  // comes back stale.
  absl::StatusOr<AgentChange> SetAgentState(const std::string& agent_id, AgentState state,
                                            const std::vector<std::string>& queues, absl::Time at);

  // A call's events in EventBefore order. NOT_FOUND when it has none.
  absl::StatusOr<std::vector<CallEvent>> LoadTimeline(const std::string& call_id);

  // The figures (call_stats.h) of the calls offered in [from, to), of
  // `queue` unless empty. Counted by PostgreSQL in one statement, from
  // indexes that cover the period (migrations/0004_call_stats.sql): no call
  // comes back to the service, so a 400-day period takes no more memory than
  // a day.
  absl::StatusOr<CallStats> LoadStats(absl::Time from, absl::Time to, const std::string& queue,
                                      const CallStatsRules& rules);

  // Reads the calls waiting and the agents not logged out, and runs `fn`
  // with them while holding the live lock exclusively (see above): `fn`
  // writes Redis before any later change commits.
  absl::Status WithLiveTruth(const std::function<absl::Status(const LiveTruth&)>& fn);

 private:
  pg::Pool& pool_;
};

}  // namespace hotline::intake
