-- A ticket's deadlines come from the sla service (working days, holidays,
-- its policies): quoted by sla when the ticket is taken, then kept from
-- sla's clock events (topic sla.clock) for the ticket's own clocks.

-- sla could not be asked when the ticket was taken: no deadlines yet, until
-- the first of sla's clock events for the ticket arrives.
ALTER TABLE intake.tickets ADD COLUMN deadlines_pending boolean NOT NULL DEFAULT false;

-- The envelope sequence of the newest sla.clock event applied to the
-- deadline (NULL: as quoted at create, or from before sla). Events arrive
-- late and out of order: one with a sequence not above this is ignored.
ALTER TABLE intake.ticket_deadlines ADD COLUMN clock_sequence bigint;

-- sla's warnings, breaches, urgings and supervision cases in the history.
ALTER TABLE intake.ticket_history DROP CONSTRAINT ticket_history_action_check;
ALTER TABLE intake.ticket_history ADD CONSTRAINT ticket_history_action_check CHECK (action IN (
  'created', 'status_changed', 'note_added', 'urged', 'outage_checked',
  'order_event', 'order_event_ignored', 'reporter_identity_read', 'deadline'));
