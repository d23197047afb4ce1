-- survey calls the customer back after a repair, complaint or report is
-- resolved (intake's ticket.resolved) and tells intake how it went (topics
-- callback.scheduled and callback.completed): the ticket moves to callback,
-- then closed or, when the customer is dissatisfied, reopened.

-- The envelope sequence of the newest callback event applied to the ticket
-- (NULL: none yet). Events arrive late and out of order: one written before
-- it (a smaller sequence) is ignored, e.g. the scheduling of a first
-- callback that arrives after the ticket was reopened and resolved again.
ALTER TABLE intake.tickets ADD COLUMN last_callback_event_sequence bigint;

-- Callback events that were not applied are written to the history.
ALTER TABLE intake.ticket_history DROP CONSTRAINT ticket_history_action_check;
ALTER TABLE intake.ticket_history ADD CONSTRAINT ticket_history_action_check CHECK (action IN (
  'created', 'status_changed', 'note_added', 'urged', 'outage_checked',
  'order_event', 'order_event_ignored', 'reporter_identity_read', 'deadline',
  'callback_event_ignored'));
