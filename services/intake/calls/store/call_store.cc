#include "services/intake/calls/store/call_store.h"

#include <map>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/pg/errors.h"
#include "libs/pg/sql_values.h"
#include "libs/pg/transaction.h"
#include "libs/status/status.h"

namespace hotline::intake {
namespace {

// Times travel as microseconds since the epoch (libs/pg/sql_values.h).
constexpr char kLockLiveShared[] =
    "SELECT pg_advisory_xact_lock_shared(hashtext('hotline.intake.calls.live'))";
// Held exclusively by the live-queue rebuild (see call_store.h).
constexpr char kLockLiveExclusive[] =
    "SELECT pg_advisory_xact_lock(hashtext('hotline.intake.calls.live'))";

constexpr char kInsertEvent[] = R"sql(
INSERT INTO intake.call_events (event_id, call_id, kind, at, queue, route, channel, ivr_topic,
    agent_id, ring_seconds, wait_seconds, abandon_stage, to_queue, to_agent_id, mute_seconds,
    talk_seconds, ticket_id)
VALUES ($1, $2, $3, )sql" HOTLINE_PG_TIME(
    "$4") R"sql(, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
ON CONFLICT (event_id) DO NOTHING
RETURNING event_id)sql";

constexpr char kSelectEvents[] = R"sql(
SELECT event_id, call_id, kind, )sql" HOTLINE_PG_MICROS("at") R"sql(, queue, route,
       channel, ivr_topic, agent_id, ring_seconds, wait_seconds, abandon_stage, to_queue,
       to_agent_id, mute_seconds, talk_seconds, ticket_id
FROM intake.call_events WHERE call_id = $1 ORDER BY at, event_id)sql";

constexpr char kSelectEvent[] = R"sql(
SELECT event_id, call_id, kind, )sql" HOTLINE_PG_MICROS("at") R"sql(, queue, route,
       channel, ivr_topic, agent_id, ring_seconds, wait_seconds, abandon_stage, to_queue,
       to_agent_id, mute_seconds, talk_seconds, ticket_id
FROM intake.call_events WHERE event_id = $1)sql";

constexpr char kCreateCall[] = R"sql(
INSERT INTO intake.calls (call_id, first_event_at, last_event_at) VALUES ($1, now(), now())
ON CONFLICT (call_id) DO NOTHING)sql";

constexpr char kLockCall[] = R"sql(
SELECT queue, counted_offered, counted_asked_for_agent, counted_answered_by_agent,
       counted_answered_by_ivr, counted_abandoned, counted_talked, counted_transfers,
       counted_mutes
FROM intake.calls WHERE call_id = $1 FOR UPDATE)sql";

constexpr char kUpdateCall[] = R"sql(
UPDATE intake.calls SET
  queue = $2, channel = $3, route = $4, offered_at = )sql" HOTLINE_PG_TIME("$5") R"sql(, asked_for_agent = $6,
  ivr_finished = $7, ivr_topic = $8, queued_at = )sql" HOTLINE_PG_TIME("$9") R"sql(, answered = $10,
  answered_at = )sql" HOTLINE_PG_TIME("$11") R"sql(, agent_id = $12, ring_seconds = $13, answer_wait_seconds = $14,
  abandoned = $15, abandoned_at = )sql" HOTLINE_PG_TIME("$16") R"sql(, abandon_stage = $17,
  abandon_wait_seconds = $18, transfers = $19, mute_seconds = $20::integer[], ended = $21,
  ended_at = )sql" HOTLINE_PG_TIME("$22") R"sql(, talk_seconds = $23, ticket_ids = $24::text[],
  first_event_at = )sql" HOTLINE_PG_TIME("$25") R"sql(, last_event_at = )sql" HOTLINE_PG_TIME(
    "$26") R"sql(, events = $27,
  waiting = $28, waiting_since = )sql" HOTLINE_PG_TIME("$29") R"sql(, counted_offered = $30,
  counted_asked_for_agent = $31, counted_answered_by_agent = $32, counted_answered_by_ivr = $33,
  counted_abandoned = $34, counted_talked = $35, counted_transfers = $36, counted_mutes = $37,
  updated_at = now()
WHERE call_id = $1)sql";

// GetCallStats' counts (call_stats.h) of the calls offered in [$1, $2), of
// queue $3 unless '', with the ring threshold $4 and the mute limit $5, in
// one statement (one snapshot); the rates are derived from them in C++.
// Each part is answered from an index of 0004_call_stats.sql that holds what
// it reads (an index-only scan), except the rare calls with more mutes than
// an index entry takes, read from the table.
constexpr char kSelectStats[] = R"sql(
WITH counts AS (
  SELECT count(*) AS offered,
         count(*) FILTER (WHERE asked_for_agent) AS asked_for_agent,
         count(*) FILTER (WHERE answered) AS answered_by_agent,
         count(*) FILTER (WHERE ivr_finished) AS answered_by_ivr,
         count(*) FILTER (WHERE abandoned) AS abandoned,
         count(*) FILTER (WHERE abandoned AND abandon_stage = 'queued') AS abandoned_queued,
         count(*) FILTER (WHERE abandoned AND abandon_stage = 'ringing') AS abandoned_ringing,
         count(*) FILTER (WHERE answered AND ring_seconds <= $4) AS answered_within,
         count(*) FILTER (WHERE answered AND ended) AS talked,
         coalesce(sum(talk_seconds) FILTER (WHERE answered AND ended), 0) AS talk_seconds,
         count(*) FILTER (WHERE answered AND transfers > 0) AS transferred
  FROM intake.calls
  WHERE offered_at >= )sql" HOTLINE_PG_TIME("$1") R"sql( AND offered_at < )sql" HOTLINE_PG_TIME("$2") R"sql(
    AND ($3 = '' OR queue = $3)
), mute_uses AS (
  SELECT m.seconds
  FROM intake.calls AS c, unnest(c.mute_seconds) AS m (seconds)
  WHERE c.offered_at >= )sql" HOTLINE_PG_TIME("$1") R"sql( AND c.offered_at < )sql" HOTLINE_PG_TIME("$2") R"sql(
    AND ($3 = '' OR c.queue = $3)
    AND cardinality(c.mute_seconds) >= 1 AND cardinality(c.mute_seconds) <= 64
  UNION ALL
  SELECT m.seconds
  FROM intake.calls AS c, unnest(c.mute_seconds) AS m (seconds)
  WHERE c.offered_at >= )sql" HOTLINE_PG_TIME("$1") R"sql( AND c.offered_at < )sql" HOTLINE_PG_TIME("$2") R"sql(
    AND ($3 = '' OR c.queue = $3) AND cardinality(c.mute_seconds) > 64
), mutes AS (
  SELECT count(*) AS mutes, count(*) FILTER (WHERE seconds > $5) AS mutes_over_limit
  FROM mute_uses
)
SELECT offered, asked_for_agent, answered_by_agent, answered_by_ivr, abandoned,
       abandoned_queued, abandoned_ringing, answered_within, talked, talk_seconds, transferred,
       mutes, mutes_over_limit
FROM counts, mutes)sql";

constexpr char kSelectWaiting[] = R"sql(
SELECT queue, call_id, )sql" HOTLINE_PG_MICROS("waiting_since") R"sql(
FROM intake.calls WHERE waiting AND queue <> '' AND waiting_since IS NOT NULL)sql";

constexpr char kCreateAgent[] = R"sql(
INSERT INTO intake.call_agents (agent_id, state, queues, since)
VALUES ($1, 'logged_out', '{}', timestamptz 'epoch')
ON CONFLICT (agent_id) DO NOTHING)sql";

constexpr char kLockAgent[] = R"sql(
SELECT state, array_to_string(queues, ','), )sql" HOTLINE_PG_MICROS("since") R"sql(
FROM intake.call_agents WHERE agent_id = $1 FOR UPDATE)sql";

constexpr char kUpdateAgent[] = R"sql(
UPDATE intake.call_agents SET state = $2, queues = $3::text[], since = )sql" HOTLINE_PG_TIME(
    "$4") R"sql(,
       updated_at = now()
WHERE agent_id = $1)sql";

constexpr char kSelectPresentAgents[] = R"sql(
SELECT agent_id, state, array_to_string(queues, ','),
       )sql" HOTLINE_PG_MICROS("since") R"sql(
FROM intake.call_agents WHERE state <> 'logged_out' ORDER BY agent_id)sql";

std::vector<std::string> SplitList(const pqxx::field& f) {
  if (f.is_null()) {
    return {};
  }
  return absl::StrSplit(f.as<std::string>(), ',', absl::SkipEmpty());
}

absl::StatusOr<CallEvent> EventFromRow(const pqxx::row& row) {
  CallEvent e;
  e.event_id = row[0].as<std::string>();
  e.call_id = row[1].as<std::string>();
  HOTLINE_ASSIGN_OR_RETURN(e.kind, ParseCallEventKind(row[2].as<std::string>()));
  e.at = pg::RequiredTimeOf(row[3]);
  e.queue = row[4].as<std::string>();
  e.route = ParseCallRoute(row[5].as<std::string>());
  e.channel = row[6].as<std::string>();
  e.ivr_topic = row[7].as<std::string>();
  e.agent_id = row[8].as<std::string>();
  e.ring_seconds = row[9].as<int>();
  e.wait_seconds = row[10].as<int>();
  e.abandon_stage = ParseAbandonStage(row[11].as<std::string>());
  e.to_queue = row[12].as<std::string>();
  e.to_agent_id = row[13].as<std::string>();
  e.mute_seconds = row[14].as<int>();
  e.talk_seconds = row[15].as<int>();
  e.ticket_id = row[16].as<std::string>();
  return e;
}

absl::StatusOr<AgentState> AgentStateFromRow(const pqxx::field& f) {
  return ParseAgentState(f.as<std::string>());
}

// Records the events of one call (all with the same call id) in `tx`.
absl::StatusOr<std::optional<CallChange>> RecordCallEvents(pqxx::work& tx,
                                                           const std::string& call_id,
                                                           const std::vector<size_t>& indexes,
                                                           const std::vector<CallEvent>& events,
                                                           RecordResult& result) {
  std::vector<CallEvent> inserted;
  for (size_t i : indexes) {
    const CallEvent& e = events[i];
    pqxx::result r = tx.exec_params(
        kInsertEvent, e.event_id, e.call_id, std::string(CallEventKindName(e.kind)),
        pg::MicrosParam(e.at), e.queue, std::string(CallRouteName(e.route)), e.channel, e.ivr_topic,
        e.agent_id, e.ring_seconds, e.wait_seconds, std::string(AbandonStageName(e.abandon_stage)),
        e.to_queue, e.to_agent_id, e.mute_seconds, e.talk_seconds, e.ticket_id);
    if (r.empty()) {
      // Recorded before: a resend of the same event, or another event under
      // a reused id, which must not pass for a duplicate.
      HOTLINE_ASSIGN_OR_RETURN(CallEvent stored,
                               EventFromRow(tx.exec_params1(kSelectEvent, e.event_id)));
      if (!(stored == e)) {
        return absl::InvalidArgumentError(absl::StrCat(
            kConflictPrefix, e.event_id, " was recorded before with other content (call ",
            stored.call_id, ", ", CallEventKindName(stored.kind), "); send a new event id"));
      }
      result.duplicate[i] = true;
      ++result.duplicates;
    } else {
      inserted.push_back(e);
      ++result.recorded;
    }
  }
  if (inserted.empty()) {
    return std::optional<CallChange>();
  }
  tx.exec_params0(kCreateCall, call_id);
  pqxx::row row = tx.exec_params1(kLockCall, call_id);
  CountedFacts counted;
  std::string previous_queue = row[0].as<std::string>();
  counted.offered = row[1].as<bool>();
  counted.asked_for_agent = row[2].as<bool>();
  counted.answered_by_agent = row[3].as<bool>();
  counted.answered_by_ivr = row[4].as<bool>();
  counted.abandoned = row[5].as<bool>();
  counted.talked = row[6].as<bool>();
  counted.transfers = row[7].as<int>();
  counted.mutes = row[8].as<int>();

  std::vector<CallEvent> timeline;
  for (const pqxx::row& event_row : tx.exec_params(kSelectEvents, call_id)) {
    HOTLINE_ASSIGN_OR_RETURN(CallEvent e, EventFromRow(event_row));
    timeline.push_back(std::move(e));
  }
  CallChange change;
  change.call = DeriveCall(call_id, std::move(timeline));
  change.previous_queue = previous_queue;
  CountingResult counting = CountNewFacts(change.call, counted, inserted);
  change.counts = counting.counts;
  const CallRecord& c = change.call;
  const CountedFacts& now = counting.counted;
  tx.exec_params0(kUpdateCall, call_id, c.queue, c.channel, std::string(CallRouteName(c.route)),
                  pg::MicrosParam(c.offered_at), c.asked_for_agent, c.ivr_finished, c.ivr_topic,
                  pg::MicrosParam(c.queued_at), c.answered, pg::MicrosParam(c.answered_at),
                  c.agent_id, c.ring_seconds, c.answer_wait_seconds, c.abandoned,
                  pg::MicrosParam(c.abandoned_at), std::string(AbandonStageName(c.abandon_stage)),
                  c.abandon_wait_seconds, c.transfers, pg::NumberArray(c.mute_seconds), c.ended,
                  pg::MicrosParam(c.ended_at), c.talk_seconds, pg::TextArray(c.ticket_ids),
                  pg::MicrosParam(c.first_event_at), pg::MicrosParam(c.last_event_at), c.events,
                  c.waiting, pg::MicrosParam(c.waiting_since), now.offered, now.asked_for_agent,
                  now.answered_by_agent, now.answered_by_ivr, now.abandoned, now.talked,
                  now.transfers, now.mutes);
  return std::optional<CallChange>(std::move(change));
}

}  // namespace

absl::StatusOr<RecordResult> CallStore::RecordEvents(const std::vector<CallEvent>& events) {
  // Calls in id order: every batch locks rows in the same order.
  std::map<std::string, std::vector<size_t>> by_call;
  for (size_t i = 0; i < events.size(); ++i) {
    by_call[events[i].call_id].push_back(i);
  }
  return pg::WithTransactionResult<RecordResult>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<RecordResult> {
        RecordResult result;
        result.duplicate.assign(events.size(), false);
        tx.exec(kLockLiveShared);
        for (const auto& [call_id, indexes] : by_call) {
          HOTLINE_ASSIGN_OR_RETURN(std::optional<CallChange> change,
                                   RecordCallEvents(tx, call_id, indexes, events, result));
          if (change) {
            result.changes.push_back(std::move(*change));
          }
        }
        return result;
      });
}

absl::StatusOr<AgentChange> CallStore::SetAgentState(const std::string& agent_id, AgentState state,
                                                     const std::vector<std::string>& queues,
                                                     absl::Time at) {
  return pg::WithTransactionResult<AgentChange>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<AgentChange> {
        tx.exec(kLockLiveShared);
        tx.exec_params0(kCreateAgent, agent_id);
        pqxx::row row = tx.exec_params1(kLockAgent, agent_id);
        AgentChange change;
        change.agent.agent_id = agent_id;
        HOTLINE_ASSIGN_OR_RETURN(change.agent.state, AgentStateFromRow(row[0]));
        change.agent.queues = SplitList(row[1]);
        change.agent.since = pg::RequiredTimeOf(row[2]);
        change.previous_queues = change.agent.queues;
        if (at < change.agent.since) {
          change.stale = true;
          return change;
        }
        change.agent.state = state;
        change.agent.since = at;
        if (!queues.empty()) {
          change.agent.queues = queues;
        }
        tx.exec_params0(kUpdateAgent, agent_id, std::string(AgentStateName(state)),
                        pg::TextArray(change.agent.queues), pg::MicrosParam(at));
        return change;
      });
}

absl::StatusOr<std::vector<CallEvent>> CallStore::LoadTimeline(const std::string& call_id) {
  return pg::WithTransactionResult<std::vector<CallEvent>>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<std::vector<CallEvent>> {
        std::vector<CallEvent> timeline;
        for (const pqxx::row& row : tx.exec_params(kSelectEvents, call_id)) {
          HOTLINE_ASSIGN_OR_RETURN(CallEvent e, EventFromRow(row));
          timeline.push_back(std::move(e));
        }
        if (timeline.empty()) {
          return absl::NotFoundError(absl::StrCat("call_id: no call ", call_id));
        }
        return timeline;
      });
}

absl::StatusOr<CallStats> CallStore::LoadStats(absl::Time from, absl::Time to,
                                               const std::string& queue,
                                               const CallStatsRules& rules) {
  return pg::WithTransactionResult<CallStats>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<CallStats> {
        pqxx::row row =
            tx.exec_params1(kSelectStats, pg::MicrosParam(from), pg::MicrosParam(to), queue,
                            rules.ring_threshold_seconds, rules.mute_limit_seconds);
        CallStats stats;
        stats.rules = rules;
        stats.offered = row[0].as<int64_t>();
        stats.asked_for_agent = row[1].as<int64_t>();
        stats.answered_by_agent = row[2].as<int64_t>();
        stats.answered_by_ivr = row[3].as<int64_t>();
        stats.abandoned = row[4].as<int64_t>();
        stats.abandoned_while_queued = row[5].as<int64_t>();
        stats.abandoned_while_ringing = row[6].as<int64_t>();
        stats.answered_within_threshold = row[7].as<int64_t>();
        stats.talked = row[8].as<int64_t>();
        stats.talk_seconds_total = row[9].as<int64_t>();
        stats.transferred = row[10].as<int64_t>();
        stats.mutes = row[11].as<int64_t>();
        stats.mutes_over_limit = row[12].as<int64_t>();
        SetRates(stats);
        return stats;
      });
}

absl::Status CallStore::WithLiveTruth(const std::function<absl::Status(const LiveTruth&)>& fn) {
  return pg::WithTransaction(pool_, [&](pqxx::work& tx) -> absl::Status {
    tx.exec(kLockLiveExclusive);
    LiveTruth truth;
    for (const pqxx::row& row : tx.exec(kSelectWaiting)) {
      QueuedCall call;
      call.queue = row[0].as<std::string>();
      call.call_id = row[1].as<std::string>();
      call.since = pg::RequiredTimeOf(row[2]);
      truth.waiting.push_back(std::move(call));
    }
    for (const pqxx::row& row : tx.exec(kSelectPresentAgents)) {
      AgentStatus agent;
      agent.agent_id = row[0].as<std::string>();
      HOTLINE_ASSIGN_OR_RETURN(agent.state, AgentStateFromRow(row[1]));
      agent.queues = SplitList(row[2]);
      agent.since = pg::RequiredTimeOf(row[3]);
      truth.agents.push_back(std::move(agent));
    }
    return fn(truth);
  });
}

}  // namespace hotline::intake
