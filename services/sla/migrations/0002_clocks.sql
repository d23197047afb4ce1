-- A region's working hours and shifts (its days are in calendar_days). A
-- region without a row uses the national one (''), and without that the
-- defaults of the service.
CREATE TABLE calendars (
  region              text PRIMARY KEY,
  working_hours_start text NOT NULL DEFAULT '',
  working_hours_end   text NOT NULL DEFAULT '',
  shifts              text[] NOT NULL DEFAULT '{}',  -- "name start end", e.g. "day 08:00 16:00"
  updated_at          timestamptz NOT NULL DEFAULT now(),
  updated_by          text NOT NULL DEFAULT ''
);

-- Deadline rules, one per stage, ticket type, area class and branch ('' is
-- the wildcard). `definition` is the serialized hotline.sla.v1.Policy.
CREATE TABLE policies (
  stage       text NOT NULL,
  ticket_type text NOT NULL DEFAULT '',
  area_class  text NOT NULL DEFAULT '',
  branch_id   text NOT NULL DEFAULT '',
  version     bigint NOT NULL,
  definition  bytea NOT NULL,
  PRIMARY KEY (stage, ticket_type, area_class, branch_id)
);

-- Deadline clocks: one per ticket, stage and responsible unit ('' is the
-- ticket's own clock of the stage). A clock keeps the terms of the policy it
-- started with. `fired` counts the milestones (warnings, breach, urging,
-- supervision) already fired, `next_fire_at` is the next one's time while the
-- clock runs: the timer reads the clocks by that index, never the table.
CREATE TABLE clocks (
  clock_id           uuid PRIMARY KEY,
  ticket_id          uuid NOT NULL,
  ticket_number      text NOT NULL DEFAULT '',
  ticket_type        text NOT NULL DEFAULT '',
  stage              text NOT NULL,
  unit               text NOT NULL DEFAULT '',
  area_class         text NOT NULL DEFAULT '',
  region             text NOT NULL DEFAULT '',
  superior_unit      text NOT NULL DEFAULT '',
  state              text NOT NULL,                -- running, paused, stopped
  started_at         timestamptz,
  due_at             timestamptz,
  stopped_at         timestamptz,
  stop_reason        text NOT NULL DEFAULT '',
  breached           boolean NOT NULL DEFAULT false,
  escalation         text NOT NULL DEFAULT '',     -- '', warned, breached, supervised
  segment_start      timestamptz,                  -- the start or the last resume
  consumed_us        bigint NOT NULL DEFAULT 0,    -- counted before segment_start
  paused_at          timestamptz,
  paused_us          bigint NOT NULL DEFAULT 0,    -- paused wall time so far
  measure            text NOT NULL DEFAULT 'elapsed',
  limit_us           bigint NOT NULL DEFAULT 0,
  warn_at            double precision[] NOT NULL DEFAULT '{}',
  supervise_after_us bigint NOT NULL DEFAULT 0,
  policy_version     bigint NOT NULL DEFAULT 0,
  fired              integer NOT NULL DEFAULT 0,
  next_fire_at       timestamptz,
  start_sequence     bigint NOT NULL DEFAULT 0,    -- the event that started it (0: an RPC)
  idempotency_key    text,                         -- "<principal>:<key>" of StartClock
  request_digest     text NOT NULL DEFAULT '',
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ticket_id, stage, unit)
);
CREATE INDEX clocks_next_fire ON clocks (next_fire_at) WHERE next_fire_at IS NOT NULL;
CREATE INDEX clocks_open_by_due ON clocks (due_at) WHERE state <> 'stopped';
CREATE UNIQUE INDEX clocks_by_key ON clocks (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Every warning, breach, urging and supervision case, once per clock and
-- milestone. `sequence` is WatchEvents' cursor: actions are inserted under
-- one transaction-level advisory lock, so sequences commit in their order.
CREATE TABLE actions (
  sequence  bigserial PRIMARY KEY,
  clock_id  uuid NOT NULL REFERENCES clocks (clock_id),
  milestone integer NOT NULL,
  kind      text NOT NULL,                -- warning, breach, urging, supervision
  unit      text NOT NULL DEFAULT '',
  due_at    timestamptz NOT NULL,         -- when the milestone fell due
  fired_at  timestamptz NOT NULL,
  targets   text[] NOT NULL DEFAULT '{}',
  detail    text NOT NULL DEFAULT '',
  action    bytea NOT NULL,               -- the serialized hotline.sla.v1.SlaAction
  UNIQUE (clock_id, milestone)
);
CREATE INDEX actions_by_fired_at ON actions (fired_at);

-- A stop that arrived before the ticket had any clock (events of intake and
-- dispatch travel apart): the start that comes later stops its clock at once.
-- Rows that no start claims are purged after a week.
CREATE TABLE early_stops (
  ticket_id  uuid NOT NULL,
  stage      text NOT NULL,
  unit       text NOT NULL DEFAULT '',
  stopped_at timestamptz NOT NULL,
  reason     text NOT NULL,
  noted_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, stage, unit)
);
CREATE INDEX early_stops_by_noted_at ON early_stops (noted_at);
