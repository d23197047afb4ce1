#include "services/intake/calls/store/call_store.h"

#include <map>
#include <pqxx/pqxx>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/pg/errors.h"
#include "libs/pg/prepared.h"
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

// A batch's events in one statement, in the order of the arrays ($1 … $17,
// one element per event). An event id already recorded, or repeated in the
// batch, inserts nothing the second time; RETURNING names the ids inserted.
constexpr char kInsertEvents[] = R"sql(
INSERT INTO intake.call_events (event_id, call_id, kind, at, queue, route, channel, ivr_topic,
    agent_id, ring_seconds, wait_seconds, abandon_stage, to_queue, to_agent_id, mute_seconds,
    talk_seconds, ticket_id)
SELECT event_id, call_id, kind, )sql" HOTLINE_PG_TIME("at") R"sql(, queue, route, channel,
       ivr_topic, agent_id, ring_seconds, wait_seconds, abandon_stage, to_queue, to_agent_id,
       mute_seconds, talk_seconds, ticket_id
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::text[], $10::integer[], $11::integer[], $12::text[], $13::text[],
            $14::text[], $15::integer[], $16::integer[], $17::text[])
     WITH ORDINALITY AS e(event_id, call_id, kind, at, queue, route, channel, ivr_topic,
                          agent_id, ring_seconds, wait_seconds, abandon_stage, to_queue,
                          to_agent_id, mute_seconds, talk_seconds, ticket_id, n)
ORDER BY n
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

// The calls of $1 (their rows exist), locked in call id order.
constexpr char kLockCalls[] = R"sql(
SELECT call_id, queue, counted_offered, counted_asked_for_agent, counted_answered_by_agent,
       counted_answered_by_ivr, counted_abandoned, counted_talked, counted_transfers,
       counted_mutes
FROM intake.calls WHERE call_id = ANY($1::text[]) ORDER BY call_id FOR UPDATE)sql";

// The timelines of the calls of $1, call after call.
constexpr char kSelectEventsOfCalls[] = R"sql(
SELECT event_id, call_id, kind, )sql" HOTLINE_PG_MICROS("at") R"sql(, queue, route,
       channel, ivr_topic, agent_id, ring_seconds, wait_seconds, abandon_stage, to_queue,
       to_agent_id, mute_seconds, talk_seconds, ticket_id
FROM intake.call_events WHERE call_id = ANY($1::text[]) ORDER BY call_id, at, event_id)sql";

// A call's row as a batch writes it: field n of the calls is array $n, all
// text (times as MicrosParam, booleans t or f, arrays as their literals),
// cast to its column's type here; $1 is the call_id (AddCallFields).
#define CALL_TIME(field) HOTLINE_PG_TIME("u." field)
// The fields of a call's row after its id, in the order of the arrays $2 ... $37.
#define CALL_FIELDS                                                                          \
  "queue, channel, route, offered_at, asked_for_agent, ivr_finished, ivr_topic, queued_at, " \
  "answered, answered_at, agent_id, ring_seconds, answer_wait_seconds, abandoned, "          \
  "abandoned_at, abandon_stage, abandon_wait_seconds, transfers, mute_seconds, ended, "      \
  "ended_at, talk_seconds, ticket_ids, first_event_at, last_event_at, events, waiting, "     \
  "waiting_since, counted_offered, counted_asked_for_agent, counted_answered_by_agent, "     \
  "counted_answered_by_ivr, counted_abandoned, counted_talked, counted_transfers, "          \
  "counted_mutes"
#define CALL_COLUMNS CALL_FIELDS ", updated_at"
#define CALL_VALUES \
  "u.queue, u.channel, u.route, " CALL_TIME("offered_at") ", u.asked_for_agent::boolean, "      \
  "u.ivr_finished::boolean, u.ivr_topic, " CALL_TIME("queued_at") ", u.answered::boolean, "     \
  CALL_TIME("answered_at") ", u.agent_id, u.ring_seconds::integer, "                            \
  "u.answer_wait_seconds::integer, u.abandoned::boolean, " CALL_TIME("abandoned_at") ", "       \
  "u.abandon_stage, u.abandon_wait_seconds::integer, u.transfers::integer, "                    \
  "u.mute_seconds::integer[], u.ended::boolean, " CALL_TIME("ended_at") ", "                    \
  "u.talk_seconds::integer, u.ticket_ids::text[], " CALL_TIME("first_event_at") ", "            \
  CALL_TIME("last_event_at") ", u.events::integer, u.waiting::boolean, "                        \
  CALL_TIME("waiting_since") ", u.counted_offered::boolean, "                                   \
  "u.counted_asked_for_agent::boolean, u.counted_answered_by_agent::boolean, "                  \
  "u.counted_answered_by_ivr::boolean, u.counted_abandoned::boolean, "                          \
  "u.counted_talked::boolean, u.counted_transfers::integer, u.counted_mutes::integer, now()"
#define CALL_ROWS                                                                               \
  "unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], " \
  "$8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], "   \
  "$15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], " \
  "$22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[], " \
  "$29::text[], $30::text[], $31::text[], $32::text[], $33::text[], $34::text[], $35::text[], " \
  "$36::text[], $37::text[]) WITH ORDINALITY AS u(call_id, " CALL_FIELDS ", n)"

// The rows of the calls that have none yet, as derived from this batch's
// events alone, in call id order; RETURNING names the calls inserted. A call
// whose row exists inserts nothing and goes the way of known calls; one being
// inserted by a batch not yet committed is waited for: if that batch commits,
// this one inserts nothing; if it rolls back, this one inserts the row.
constexpr char kInsertNewCalls[] =
    "INSERT INTO intake.calls (call_id, " CALL_COLUMNS ") SELECT u.call_id, " CALL_VALUES
    " FROM " CALL_ROWS " ORDER BY n ON CONFLICT (call_id) DO NOTHING RETURNING call_id";

// Every changed known call of a batch in one statement; rows are matched by
// call_id.
constexpr char kUpdateCalls[] = "UPDATE intake.calls AS c SET (" CALL_COLUMNS ") = (" CALL_VALUES
                                ") FROM " CALL_ROWS " WHERE c.call_id = u.call_id";
#undef CALL_ROWS
#undef CALL_VALUES
#undef CALL_COLUMNS
#undef CALL_FIELDS
#undef CALL_TIME
constexpr size_t kCallFields = 37;

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

// Inserts the batch's events in one statement: calls in id order, each
// call's events in arrival order (every batch takes its locks in that order).
// recorded[i] says whether events[i] was recorded now; false means its id was
// recorded before, or earlier in this batch.
std::vector<bool> InsertEvents(pqxx::work& tx,
                               const std::map<std::string, std::vector<size_t>>& by_call,
                               const std::vector<CallEvent>& events) {
  std::vector<std::string> ids, call_ids, kinds, ats, queues, routes, channels, topics, agents,
      stages, to_queues, to_agents, tickets;
  std::vector<int> rings, waits, mutes, talks;
  for (const auto& [call_id, indexes] : by_call) {
    for (size_t i : indexes) {
      const CallEvent& e = events[i];
      ids.push_back(e.event_id);
      call_ids.push_back(e.call_id);
      kinds.emplace_back(CallEventKindName(e.kind));
      ats.push_back(pg::MicrosParam(e.at));
      queues.push_back(e.queue);
      routes.emplace_back(CallRouteName(e.route));
      channels.push_back(e.channel);
      topics.push_back(e.ivr_topic);
      agents.push_back(e.agent_id);
      rings.push_back(e.ring_seconds);
      waits.push_back(e.wait_seconds);
      stages.emplace_back(AbandonStageName(e.abandon_stage));
      to_queues.push_back(e.to_queue);
      to_agents.push_back(e.to_agent_id);
      mutes.push_back(e.mute_seconds);
      talks.push_back(e.talk_seconds);
      tickets.push_back(e.ticket_id);
    }
  }
  std::set<std::string> fresh;
  for (const pqxx::row& row :
       pg::Exec(tx, kInsertEvents, pg::TextArray(ids), pg::TextArray(call_ids),
                pg::TextArray(kinds), pg::TextArray(ats), pg::TextArray(queues),
                pg::TextArray(routes), pg::TextArray(channels), pg::TextArray(topics),
                pg::TextArray(agents), pg::NumberArray(rings), pg::NumberArray(waits),
                pg::TextArray(stages), pg::TextArray(to_queues), pg::TextArray(to_agents),
                pg::NumberArray(mutes), pg::NumberArray(talks), pg::TextArray(tickets))) {
    fresh.insert(row[0].as<std::string>());
  }
  // The first event of the batch under an inserted id is the one inserted.
  std::vector<bool> recorded(events.size(), false);
  for (const auto& [call_id, indexes] : by_call) {
    for (size_t i : indexes) {
      recorded[i] = fresh.erase(events[i].event_id) > 0;
    }
  }
  return recorded;
}

// An event whose id was recorded before: a resend of the same event, or
// another event under a reused id, which must not pass for a duplicate.
absl::Status CheckResent(pqxx::work& tx, const CallEvent& e) {
  HOTLINE_ASSIGN_OR_RETURN(CallEvent stored, EventFromRow(pg::Exec1(tx, kSelectEvent, e.event_id)));
  if (!(stored == e)) {
    return absl::InvalidArgumentError(absl::StrCat(
        kConflictPrefix, e.event_id, " was recorded before with other content (call ",
        stored.call_id, ", ", CallEventKindName(stored.kind), "); send a new event id"));
  }
  return absl::OkStatus();
}

// A call's row as it was before this batch: its queue and what the metrics
// have counted of it.
struct LockedCall {
  std::string queue;
  CountedFacts counted;
};

std::map<std::string, LockedCall> LockCalls(pqxx::work& tx, const std::vector<std::string>& ids) {
  std::map<std::string, LockedCall> calls;
  for (const pqxx::row& row : pg::Exec(tx, kLockCalls, pg::TextArray(ids))) {
    LockedCall& call = calls[row[0].as<std::string>()];
    call.queue = row[1].as<std::string>();
    call.counted.offered = row[2].as<bool>();
    call.counted.asked_for_agent = row[3].as<bool>();
    call.counted.answered_by_agent = row[4].as<bool>();
    call.counted.answered_by_ivr = row[5].as<bool>();
    call.counted.abandoned = row[6].as<bool>();
    call.counted.talked = row[7].as<bool>();
    call.counted.transfers = row[8].as<int>();
    call.counted.mutes = row[9].as<int>();
  }
  return calls;
}

absl::StatusOr<std::map<std::string, std::vector<CallEvent>>> LoadTimelines(
    pqxx::work& tx, const std::vector<std::string>& ids) {
  std::map<std::string, std::vector<CallEvent>> timelines;
  for (const pqxx::row& row : pg::Exec(tx, kSelectEventsOfCalls, pg::TextArray(ids))) {
    HOTLINE_ASSIGN_OR_RETURN(CallEvent e, EventFromRow(row));
    std::string call_id = e.call_id;
    timelines[call_id].push_back(std::move(e));
  }
  return timelines;
}

// Derives the call anew from its whole timeline and counts what the events
// recorded now add; the row is written with the batch's (AddCallFields).
CallChange ChangeOf(const std::string& call_id, const LockedCall& before,
                    std::vector<CallEvent> timeline, const std::vector<CallEvent>& inserted,
                    CountedFacts& counted) {
  CallChange change;
  change.call = DeriveCall(call_id, std::move(timeline));
  change.previous_queue = before.queue;
  CountingResult counting = CountNewFacts(change.call, before.counted, inserted);
  change.counts = counting.counts;
  counted = counting.counted;
  return change;
}

std::string Flag(bool value) { return value ? "t" : "f"; }

// Appends the call's fields to `fields`, field n to fields[n - 1] (kInsertNewCalls, kUpdateCalls).
void AddCallFields(const CallRecord& c, const CountedFacts& now,
                   std::vector<std::vector<std::string>>& fields) {
  std::vector<std::string> values = {
      c.call_id,
      c.queue,
      c.channel,
      std::string(CallRouteName(c.route)),
      pg::MicrosParam(c.offered_at),
      Flag(c.asked_for_agent),
      Flag(c.ivr_finished),
      c.ivr_topic,
      pg::MicrosParam(c.queued_at),
      Flag(c.answered),
      pg::MicrosParam(c.answered_at),
      c.agent_id,
      absl::StrCat(c.ring_seconds),
      absl::StrCat(c.answer_wait_seconds),
      Flag(c.abandoned),
      pg::MicrosParam(c.abandoned_at),
      std::string(AbandonStageName(c.abandon_stage)),
      absl::StrCat(c.abandon_wait_seconds),
      absl::StrCat(c.transfers),
      pg::NumberArray(c.mute_seconds),
      Flag(c.ended),
      pg::MicrosParam(c.ended_at),
      absl::StrCat(c.talk_seconds),
      pg::TextArray(c.ticket_ids),
      pg::MicrosParam(c.first_event_at),
      pg::MicrosParam(c.last_event_at),
      absl::StrCat(c.events),
      Flag(c.waiting),
      pg::MicrosParam(c.waiting_since),
      Flag(now.offered),
      Flag(now.asked_for_agent),
      Flag(now.answered_by_agent),
      Flag(now.answered_by_ivr),
      Flag(now.abandoned),
      Flag(now.talked),
      absl::StrCat(now.transfers),
      absl::StrCat(now.mutes),
  };
  fields.resize(kCallFields);
  for (size_t n = 0; n < kCallFields; ++n) {
    fields[n].push_back(std::move(values[n]));
  }
}

// kInsertNewCalls or kUpdateCalls with the fields of the calls it writes.
pqxx::result WriteCalls(pqxx::work& tx, const char* sql,
                        const std::vector<std::vector<std::string>>& fields) {
  std::vector<std::string> a(kCallFields);
  for (size_t n = 0; n < kCallFields; ++n) {
    a[n] = pg::TextArray(fields[n]);
  }
  return pg::Exec(tx, sql, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
                  a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22],
                  a[23], a[24], a[25], a[26], a[27], a[28], a[29], a[30], a[31], a[32], a[33],
                  a[34], a[35], a[36]);
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
        pg::Exec(tx, kLockLiveShared);
        const std::vector<bool> recorded = InsertEvents(tx, by_call, events);
        // The calls that got new events, in id order, each with its new
        // events in arrival order.
        std::vector<std::string> touched;
        std::map<std::string, std::vector<CallEvent>> inserted;
        for (const auto& [call_id, indexes] : by_call) {
          for (size_t i : indexes) {
            if (recorded[i]) {
              inserted[call_id].push_back(events[i]);
              ++result.recorded;
            } else {
              HOTLINE_RETURN_IF_ERROR(CheckResent(tx, events[i]));
              result.duplicate[i] = true;
              ++result.duplicates;
            }
          }
          if (inserted.contains(call_id)) {
            touched.push_back(call_id);
          }
        }
        if (touched.empty()) {
          return result;
        }
        // First every call as if new, in one statement in call id order: a
        // call without a row has no events but this batch's (every batch that
        // records events of a call makes its row in the same transaction), so
        // its row is derived from them and inserted whole, counted from
        // nothing. A call with a row inserts nothing (what was derived for it
        // is dropped).
        std::map<std::string, CallChange> changes;
        std::map<std::string, CountedFacts> counted;
        std::vector<std::vector<std::string>> fields;
        for (const std::string& call_id : touched) {
          changes[call_id] = ChangeOf(call_id, LockedCall{}, inserted[call_id], inserted[call_id],
                                      counted[call_id]);
          AddCallFields(changes[call_id].call, counted[call_id], fields);
        }
        std::set<std::string> created;
        for (const pqxx::row& row : WriteCalls(tx, kInsertNewCalls, fields)) {
          created.insert(row[0].as<std::string>());
        }
        // Then the known calls, each derived anew from its whole timeline.
        std::vector<std::string> known;
        for (const std::string& call_id : touched) {
          if (!created.contains(call_id)) {
            known.push_back(call_id);
          }
        }
        if (!known.empty()) {
          const std::map<std::string, LockedCall> locked = LockCalls(tx, known);
          HOTLINE_ASSIGN_OR_RETURN(auto timelines, LoadTimelines(tx, known));
          fields.clear();
          for (const std::string& call_id : known) {
            changes[call_id] = ChangeOf(call_id, locked.at(call_id), std::move(timelines[call_id]),
                                        inserted[call_id], counted[call_id]);
            AddCallFields(changes[call_id].call, counted[call_id], fields);
          }
          WriteCalls(tx, kUpdateCalls, fields);
        }
        for (const std::string& call_id : touched) {
          result.changes.push_back(std::move(changes[call_id]));
        }
        return result;
      });
}

absl::StatusOr<AgentChange> CallStore::SetAgentState(const std::string& agent_id, AgentState state,
                                                     const std::vector<std::string>& queues,
                                                     absl::Time at) {
  return pg::WithTransactionResult<AgentChange>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<AgentChange> {
        pg::Exec(tx, kLockLiveShared);
        pg::Exec0(tx, kCreateAgent, agent_id);
        pqxx::row row = pg::Exec1(tx, kLockAgent, agent_id);
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
        pg::Exec0(tx, kUpdateAgent, agent_id, std::string(AgentStateName(state)),
                  pg::TextArray(change.agent.queues), pg::MicrosParam(at));
        return change;
      });
}

absl::StatusOr<std::vector<CallEvent>> CallStore::LoadTimeline(const std::string& call_id) {
  return pg::WithTransactionResult<std::vector<CallEvent>>(
      pool_, [&](pqxx::work& tx) -> absl::StatusOr<std::vector<CallEvent>> {
        std::vector<CallEvent> timeline;
        for (const pqxx::row& row : pg::Exec(tx, kSelectEvents, call_id)) {
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
        pqxx::row row = pg::Exec1(tx, kSelectStats, pg::MicrosParam(from), pg::MicrosParam(to),
                                  queue, rules.ring_threshold_seconds, rules.mute_limit_seconds);
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
    pg::Exec(tx, kLockLiveExclusive);
    LiveTruth truth;
    for (const pqxx::row& row : pg::Exec(tx, kSelectWaiting)) {
      QueuedCall call;
      call.queue = row[0].as<std::string>();
      call.call_id = row[1].as<std::string>();
      call.since = pg::RequiredTimeOf(row[2]);
      truth.waiting.push_back(std::move(call));
    }
    for (const pqxx::row& row : pg::Exec(tx, kSelectPresentAgents)) {
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
