-- Work orders: one per routed ticket (ticket_id is unique, so a ticket.created
-- event delivered twice, or two of them at once, still make one order).
CREATE SEQUENCE order_numbers;
-- Every delivery of an order to a puller takes the next value: the lease's
-- position, which a puller's resume cursor refers to.
CREATE SEQUENCE delivery_positions;

CREATE TABLE orders (
  order_id             text PRIMARY KEY,
  seq                  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- list order, page cursor
  order_number         text NOT NULL UNIQUE,
  ticket_id            text NOT NULL UNIQUE,
  ticket_number        text NOT NULL DEFAULT '',
  ticket_type          text NOT NULL,
  -- The TicketCreated payload as delivered (address, customer, routing facts).
  ticket               bytea NOT NULL,
  work_scope           text NOT NULL DEFAULT '',
  paid_service         boolean NOT NULL DEFAULT false,
  area_class           text NOT NULL DEFAULT '',
  status               text NOT NULL CHECK (status IN (
                         'dispatched', 'with_dispatcher', 'accepted', 'in_progress', 'resolved',
                         'cancelled', 'not_dispatched')),
  branch_id            text REFERENCES branches (branch_id),
  urgency              integer NOT NULL DEFAULT 0,
  urgings              integer NOT NULL DEFAULT 0,
  returns              integer NOT NULL DEFAULT 0,
  advice               text NOT NULL DEFAULT '',
  -- The current routing decision (history in order_routes).
  route_rule           text NOT NULL,
  route_level          text NOT NULL DEFAULT '',
  route_value          text NOT NULL DEFAULT '',
  route_reason         text NOT NULL,
  route_excluded       text NOT NULL DEFAULT '',  -- comma-separated branch ids
  route_candidates     integer NOT NULL DEFAULT 0,
  route_decided_by     text NOT NULL DEFAULT 'routing',
  route_decided_at     timestamptz NOT NULL DEFAULT now(),
  ticket_created_at    timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  dispatched_at        timestamptz,   -- to the current branch
  arrival_due_at       timestamptz,
  accepted_at          timestamptz,
  resolved_at          timestamptz,
  cancelled_at         timestamptz,
  cancel_reason        text NOT NULL DEFAULT '',
  -- The current lease: the delivery that may acknowledge the order.
  lease_id             text,
  lease_puller         text,
  lease_position       bigint,
  lease_expires_at     timestamptz,
  deliveries           integer NOT NULL DEFAULT 0,  -- to the current branch
  -- The branch's report so far (each step also in order_progress).
  last_step            text NOT NULL DEFAULT '',
  crew_lead            text NOT NULL DEFAULT '',
  crew_phone           text NOT NULL DEFAULT '',
  departed_at          timestamptz,
  arrived_at           timestamptz,
  cause                text NOT NULL DEFAULT '',
  fault_kind           text NOT NULL DEFAULT '',
  estimated_restore_at timestamptz,
  completed_at         timestamptz,
  power_restored_at    timestamptz,
  progress_note        text NOT NULL DEFAULT '',
  updated_at           timestamptz NOT NULL DEFAULT now()
);
-- What a branch's pullers claim: its unacknowledged orders, most urgent first.
CREATE INDEX orders_pending_by_branch ON orders (branch_id, urgency DESC, seq)
  WHERE status = 'dispatched';
CREATE INDEX orders_by_branch ON orders (branch_id, seq);
CREATE INDEX orders_by_status ON orders (status, seq);
-- A puller resuming after a reconnect finds the leases it still holds.
CREATE INDEX orders_by_lease_puller ON orders (lease_puller, lease_position)
  WHERE lease_puller IS NOT NULL;

-- Every routing decision, oldest first: why the order went where it went.
CREATE TABLE order_routes (
  order_id      text NOT NULL REFERENCES orders (order_id),
  position      bigint GENERATED ALWAYS AS IDENTITY,
  decided_at    timestamptz NOT NULL DEFAULT now(),
  branch_id     text,
  rule          text NOT NULL,
  level         text NOT NULL DEFAULT '',
  value         text NOT NULL DEFAULT '',
  work_scope    text NOT NULL DEFAULT '',
  excluded      text NOT NULL DEFAULT '',  -- comma-separated branch ids
  candidates    integer NOT NULL DEFAULT 0,
  reason        text NOT NULL,
  decided_by    text NOT NULL,
  PRIMARY KEY (order_id, position)
);

-- Returns (退单): why, which unit it belongs to, and the customer's details
-- when the fault is on their side.
CREATE TABLE order_returns (
  order_id        text NOT NULL REFERENCES orders (order_id),
  position        bigint GENERATED ALWAYS AS IDENTITY,
  returned_at     timestamptz NOT NULL DEFAULT now(),
  branch_id       text NOT NULL,
  reason          text NOT NULL,
  belongs_to      text NOT NULL DEFAULT '',
  customer_name   text NOT NULL DEFAULT '',
  customer_phone  text NOT NULL DEFAULT '',
  note            text NOT NULL DEFAULT '',
  idempotency_key text,
  PRIMARY KEY (order_id, position)
);
CREATE UNIQUE INDEX order_returns_by_key ON order_returns (order_id, branch_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- Every progress report as received.
CREATE TABLE order_progress (
  order_id    text NOT NULL REFERENCES orders (order_id),
  position    bigint GENERATED ALWAYS AS IDENTITY,
  reported_at timestamptz NOT NULL DEFAULT now(),
  branch_id   text NOT NULL,
  step        text NOT NULL,
  step_at     timestamptz,
  details     text NOT NULL DEFAULT '',
  PRIMARY KEY (order_id, position)
);

-- Urgings and cancellations of tickets, kept even when they arrive before the
-- ticket's ticket.created (events may come out of order), and applied when
-- its order is made.
CREATE TABLE ticket_updates (
  ticket_id     text PRIMARY KEY,
  urgency       integer NOT NULL DEFAULT 0,
  urgings       integer NOT NULL DEFAULT 0,
  cancelled_at  timestamptz,
  cancel_reason text NOT NULL DEFAULT ''
);
