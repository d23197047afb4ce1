-- The call centre: every call event from the telephony (CTI) side, each
-- call's facts derived from its events, and agents' last states. Redis holds
-- the live queue only; it is rebuilt from calls.waiting and call_agents.

-- Every event as received; event_id is the idempotency key.
CREATE TABLE call_events (
  event_id      text PRIMARY KEY,
  call_id       text NOT NULL,
  kind          text NOT NULL CHECK (kind IN (
                  'offered', 'ivr_finished', 'queued', 'ringing', 'answered', 'abandoned',
                  'transferred', 'muted', 'ended', 'ticket_linked')),
  at            timestamptz NOT NULL,
  queue         text NOT NULL DEFAULT '',
  route         text NOT NULL DEFAULT '' CHECK (route IN ('', 'agent', 'ivr')),
  channel       text NOT NULL DEFAULT '',
  ivr_topic     text NOT NULL DEFAULT '',
  agent_id      text NOT NULL DEFAULT '',
  ring_seconds  integer NOT NULL DEFAULT 0,
  wait_seconds  integer NOT NULL DEFAULT 0,
  abandon_stage text NOT NULL DEFAULT '' CHECK (abandon_stage IN ('', 'queued', 'ringing')),
  to_queue      text NOT NULL DEFAULT '',
  to_agent_id   text NOT NULL DEFAULT '',
  mute_seconds  integer NOT NULL DEFAULT 0,
  talk_seconds  integer NOT NULL DEFAULT 0,
  ticket_id     text NOT NULL DEFAULT '',
  received_at   timestamptz NOT NULL DEFAULT now()
);
-- A call's timeline, read each time one of its events arrives.
CREATE INDEX call_events_by_call ON call_events (call_id, at, event_id);

-- One row per call: the facts derived from all its events (recomputed in the
-- transaction that records a new one), and what the metrics have counted.
CREATE TABLE calls (
  call_id                   text PRIMARY KEY,
  queue                     text NOT NULL DEFAULT '',
  channel                   text NOT NULL DEFAULT '',
  route                     text NOT NULL DEFAULT '',
  offered_at                timestamptz,  -- NULL until the offered event is recorded
  asked_for_agent           boolean NOT NULL DEFAULT false,
  ivr_finished              boolean NOT NULL DEFAULT false,
  ivr_topic                 text NOT NULL DEFAULT '',
  queued_at                 timestamptz,
  answered                  boolean NOT NULL DEFAULT false,
  answered_at               timestamptz,
  agent_id                  text NOT NULL DEFAULT '',
  ring_seconds              integer NOT NULL DEFAULT 0,
  answer_wait_seconds       integer NOT NULL DEFAULT 0,
  abandoned                 boolean NOT NULL DEFAULT false,
  abandoned_at              timestamptz,
  abandon_stage             text NOT NULL DEFAULT '',
  abandon_wait_seconds      integer NOT NULL DEFAULT 0,
  transfers                 integer NOT NULL DEFAULT 0,
  mute_seconds              integer[] NOT NULL DEFAULT '{}',
  ended                     boolean NOT NULL DEFAULT false,
  ended_at                  timestamptz,
  talk_seconds              integer NOT NULL DEFAULT 0,
  ticket_ids                text[] NOT NULL DEFAULT '{}',
  first_event_at            timestamptz NOT NULL,
  last_event_at             timestamptz NOT NULL,
  events                    integer NOT NULL DEFAULT 0,
  waiting                   boolean NOT NULL DEFAULT false,
  waiting_since             timestamptz,
  -- What the Prometheus counters have counted for this call (call_counting.h).
  counted_offered           boolean NOT NULL DEFAULT false,
  counted_asked_for_agent   boolean NOT NULL DEFAULT false,
  counted_answered_by_agent boolean NOT NULL DEFAULT false,
  counted_answered_by_ivr   boolean NOT NULL DEFAULT false,
  counted_abandoned         boolean NOT NULL DEFAULT false,
  counted_talked            boolean NOT NULL DEFAULT false,
  counted_transfers         integer NOT NULL DEFAULT 0,
  counted_mutes             integer NOT NULL DEFAULT 0,
  updated_at                timestamptz NOT NULL DEFAULT now()
);
-- GetCallStats: calls offered in a period, optionally of one queue.
CREATE INDEX calls_by_offered_at ON calls (offered_at) WHERE offered_at IS NOT NULL;
CREATE INDEX calls_by_queue_offered_at ON calls (queue, offered_at) WHERE offered_at IS NOT NULL;
-- Rebuilding the live queue: the calls still waiting.
CREATE INDEX calls_waiting ON calls (queue, waiting_since) WHERE waiting;

-- Each agent's last state and queues (the live queue's agents are rebuilt
-- from here).
CREATE TABLE call_agents (
  agent_id   text PRIMARY KEY,
  state      text NOT NULL CHECK (state IN (
               'logged_in', 'ready', 'away', 'on_call', 'wrap_up', 'logged_out')),
  queues     text[] NOT NULL DEFAULT '{}',
  since      timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_agents_present ON call_agents (agent_id) WHERE state <> 'logged_out';
