-- Order events are ordered by the sender's sequence (Event.sequence, its
-- outbox row id), not by the time they say they occurred: a clock that
-- stepped back must not make intake drop a newer change.
ALTER TABLE intake.tickets ADD COLUMN last_order_event_sequence bigint;
