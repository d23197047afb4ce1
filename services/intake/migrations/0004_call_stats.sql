-- GetCallStats counts the calls offered in a period of up to 400 days in
-- SQL (kSelectStats in calls/call_store.cc). These indexes hold every
-- column that the count reads, so a year is counted from index entries
-- alone (index-only scans) instead of the wide rows. They replace 0002's
-- indexes on the same keys.
DROP INDEX calls_by_offered_at;
DROP INDEX calls_by_queue_offered_at;
CREATE INDEX calls_stats_by_offered_at ON calls (offered_at)
  INCLUDE (asked_for_agent, ivr_finished, answered, ring_seconds, abandoned, abandon_stage,
           transfers, ended, talk_seconds)
  WHERE offered_at IS NOT NULL;
CREATE INDEX calls_stats_by_queue_offered_at ON calls (queue, offered_at)
  INCLUDE (asked_for_agent, ivr_finished, answered, ring_seconds, abandoned, abandon_stage,
           transfers, ended, talk_seconds)
  WHERE offered_at IS NOT NULL;

-- Mute uses: the calls that have any, with their list. An index entry has a
-- size limit (about 2.7 kB) and a call's list of mutes has none, so only
-- lists of up to 64 go into the index (past the limit, recording the call's
-- events would fail); the rare longer ones are read from the table.
CREATE INDEX calls_mutes_by_offered_at ON calls (offered_at) INCLUDE (queue, mute_seconds)
  WHERE cardinality(mute_seconds) >= 1 AND cardinality(mute_seconds) <= 64;
CREATE INDEX calls_many_mutes_by_offered_at ON calls (offered_at)
  WHERE cardinality(mute_seconds) > 64;
