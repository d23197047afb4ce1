-- How long the sla timer's claim takes with a million open clocks.
--
--   psql -d <a database where hotline-sla has migrated its schema> -f tools/bench/sla_timer.sql
--
-- Adds 1,000,000 running clocks (due over the next 30 days, 500 of them
-- due now), then shows the plan and time of the timer's claim (the query
-- of store/clock_store.cc ClaimDueClocks, batch 200) and of ListOverdue's
-- first page. Everything runs in one transaction that is rolled back.
\timing on
BEGIN;
INSERT INTO sla.clocks (clock_id, ticket_id, stage, state, started_at, due_at, segment_start,
                        measure, limit_us, next_fire_at)
SELECT gen_random_uuid(), gen_random_uuid(), 'dispatch', 'running', now(),
       now() + (i % 43200) * interval '1 minute', now(), 'elapsed', 300000000,
       CASE WHEN i <= 500 THEN now() - interval '1 second'
            ELSE now() + (i % 43200) * interval '1 minute' END
FROM generate_series(1, 1000000) AS i;
ANALYZE sla.clocks;
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF)
SELECT clock_id FROM sla.clocks
WHERE next_fire_at <= now() AND state = 'running'
ORDER BY next_fire_at LIMIT 200 FOR UPDATE SKIP LOCKED;
EXPLAIN (ANALYZE, BUFFERS, TIMING OFF)
SELECT clock_id FROM sla.clocks
WHERE state <> 'stopped' AND due_at < now() + interval '1 day'
ORDER BY due_at, clock_id LIMIT 51;
ROLLBACK;
