-- Callback tasks. `task` is the serialized hotline.survey.v1.CallbackTask as
-- it stands, unmasked, with every attempt and the answer; the columns beside
-- it are what queries select and count by.
CREATE TABLE callbacks (
  task_id         uuid PRIMARY KEY,
  ticket_id       uuid NOT NULL,
  ticket_type     text NOT NULL,              -- repair, complaint, report
  branch_id       text NOT NULL DEFAULT '',
  order_id        text NOT NULL DEFAULT '',
  state           text NOT NULL,              -- open, answered, unreachable
  scheduled_at    timestamptz NOT NULL,
  due_at          timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  leased_by       text NOT NULL DEFAULT '',
  lease_until     timestamptz,
  completed_at    timestamptz,
  satisfaction    text NOT NULL DEFAULT '',   -- when answered
  solved          boolean NOT NULL DEFAULT false,
  attempts        integer NOT NULL DEFAULT 0,
  task            bytea NOT NULL,
  idempotency_key text,                       -- "<principal> <key>" of ScheduleCallback
  request_digest  text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX callbacks_by_key ON callbacks (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
-- One open callback per ticket.
CREATE UNIQUE INDEX callbacks_open_per_ticket ON callbacks (ticket_id) WHERE state = 'open';
CREATE INDEX callbacks_due ON callbacks (due_at) WHERE state = 'open';
CREATE INDEX callbacks_scheduled ON callbacks (scheduled_at);
CREATE INDEX callbacks_by_ticket ON callbacks (ticket_id, scheduled_at);

-- What happened to each task, and every unmasked showing of a named
-- reporter's contact.
CREATE TABLE callback_history (
  entry_id bigserial PRIMARY KEY,
  task_id  uuid NOT NULL REFERENCES callbacks (task_id),
  at       timestamptz NOT NULL,
  actor    text NOT NULL,
  action   text NOT NULL,
  detail   text NOT NULL DEFAULT ''
);
CREATE INDEX callback_history_by_task ON callback_history (task_id, entry_id);
