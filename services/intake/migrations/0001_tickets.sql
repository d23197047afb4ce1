-- Tickets of all nine types, their deadlines and their history
-- (services/intake/tickets/ticket_store.h holds the statements).

CREATE TABLE tickets (
  ticket_id             uuid PRIMARY KEY,
  ticket_number         text NOT NULL UNIQUE,   -- GD-20261123-000042
  -- A retried create with the same key returns this ticket; the digest of the
  -- first request tells a retry from a different request reusing the key.
  idempotency_key       text NOT NULL UNIQUE,
  request_digest        text NOT NULL,
  type                  text NOT NULL CHECK (type IN (
                          'repair', 'consultation', 'query', 'complaint', 'report',
                          'suggestion', 'praise', 'application', 'urging')),
  status                text NOT NULL CHECK (status IN (
                          'created', 'answered', 'linked_to_outage', 'routed', 'dispatched',
                          'accepted', 'in_progress', 'resolved', 'callback', 'closed',
                          'returned', 'rerouted', 'reopened', 'cancelled')),
  channel               text NOT NULL CHECK (channel IN (
                          'phone', 'ivr_voicemail', 'web', 'app', 'wechat', 'sms',
                          'transfer_12345')),
  create_outcome        text NOT NULL CHECK (create_outcome IN (
                          'routed', 'answered', 'linked_to_outage', 'merged_as_urging',
                          'urging_recorded')),
  customer_name         text NOT NULL DEFAULT '',
  customer_phone        text NOT NULL DEFAULT '',
  customer_account      text NOT NULL DEFAULT '',
  -- The whole common.v1.Address in proto JSON form, and the parts that
  -- filters and the duplicate check use.
  address               jsonb NOT NULL DEFAULT '{}',
  county                text NOT NULL DEFAULT '',
  township              text NOT NULL DEFAULT '',
  area_class            text NOT NULL DEFAULT '' CHECK (area_class IN (
                          '', 'urban', 'rural', 'remote')),
  place_key             text NOT NULL DEFAULT '',  -- normalised address ('' = none)
  transformer_area      text NOT NULL DEFAULT '',
  description           text NOT NULL DEFAULT '',
  -- intake.v1.TicketDetails in proto JSON form. For reports it holds the
  -- reporter's identity, which the service masks for every role but discipline.
  details               jsonb NOT NULL DEFAULT '{}',
  outage_check          text NOT NULL DEFAULT '' CHECK (outage_check IN (
                          '', 'clear', 'affected', 'skipped')),
  outage_notice_id      text NOT NULL DEFAULT '',
  outage_restore_at     timestamptz,
  outage_skipped_reason text NOT NULL DEFAULT '',
  -- Urgings (and merged duplicate repairs): the ticket they urge.
  linked_ticket_id      uuid REFERENCES tickets (ticket_id),
  urgings               integer NOT NULL DEFAULT 0 CHECK (urgings >= 0),
  urgency               integer NOT NULL DEFAULT 0 CHECK (urgency >= 0),
  -- From dispatch's order events.
  branch_id             text NOT NULL DEFAULT '',
  order_id              text NOT NULL DEFAULT '',
  order_number          text NOT NULL DEFAULT '',
  estimated_restore_at  timestamptz,
  last_order_event_at   timestamptz,  -- occurred_at of the newest event applied
  cancel_reason         text NOT NULL DEFAULT '',
  created_by            text NOT NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL
);

-- ListTickets: newest first with a (created_at, ticket_id) cursor, alone or
-- after a filter on status, area or branch.
CREATE INDEX tickets_newest ON tickets (created_at DESC, ticket_id DESC);
CREATE INDEX tickets_by_status ON tickets (status, created_at DESC, ticket_id DESC);
CREATE INDEX tickets_by_area ON tickets (county, township, created_at DESC, ticket_id DESC);
CREATE INDEX tickets_by_branch ON tickets (branch_id, created_at DESC, ticket_id DESC)
  WHERE branch_id <> '';
CREATE INDEX tickets_by_linked_ticket ON tickets (linked_ticket_id)
  WHERE linked_ticket_id IS NOT NULL;

-- The duplicate-repair check: open repairs of one place within the window.
-- (Open = not answered, linked to an outage, resolved, in callback, closed or
-- cancelled; keep in step with kOpenRepairStatuses in ticket_store.cc.)
CREATE INDEX open_repairs_by_place ON tickets (place_key, created_at)
  WHERE type = 'repair' AND place_key <> '' AND status IN (
    'created', 'routed', 'dispatched', 'accepted', 'in_progress', 'returned', 'rerouted',
    'reopened');
CREATE INDEX open_repairs_by_transformer_area ON tickets (transformer_area, created_at)
  WHERE type = 'repair' AND transformer_area <> '' AND status IN (
    'created', 'routed', 'dispatched', 'accepted', 'in_progress', 'returned', 'rerouted',
    'reopened');

-- A ticket's deadlines (intake.v1.DeadlineKind), created_at plus the
-- configured limit of its type; met when the ticket reaches the stage.
CREATE TABLE ticket_deadlines (
  ticket_id uuid NOT NULL REFERENCES tickets (ticket_id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('send_order', 'result', 'contact')),
  due_at    timestamptz NOT NULL,
  met_at    timestamptz,
  PRIMARY KEY (ticket_id, kind)
);
CREATE INDEX ticket_deadlines_unmet ON ticket_deadlines (due_at, ticket_id)
  WHERE met_at IS NULL;

-- Every change of a ticket: who, when, what. Never holds a reporter's identity.
CREATE TABLE ticket_history (
  entry_id    bigserial PRIMARY KEY,
  ticket_id   uuid NOT NULL REFERENCES tickets (ticket_id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  actor_role  text NOT NULL,
  action      text NOT NULL CHECK (action IN (
                'created', 'status_changed', 'note_added', 'urged', 'outage_checked',
                'order_event', 'order_event_ignored', 'reporter_identity_read')),
  from_status text NOT NULL DEFAULT '',
  to_status   text NOT NULL DEFAULT '',
  detail      text NOT NULL DEFAULT ''
);
CREATE INDEX ticket_history_by_ticket ON ticket_history (ticket_id, entry_id);

-- The daily sequence of readable ticket numbers (the day in the numbering
-- time zone, setting --ticket-number-time-zone).
CREATE TABLE ticket_number_days (
  day           date PRIMARY KEY,
  last_sequence integer NOT NULL
);
