-- A unit's clock of a stage runs again after it stopped when a later order
-- sends the work back to that unit (a dissatisfied callback reopens the
-- order at its branch, or a returned order comes back to it): each round is
-- a row of its own, and at most one round of a ticket, stage and unit is open.
ALTER TABLE clocks DROP CONSTRAINT clocks_ticket_id_stage_unit_key;
CREATE UNIQUE INDEX clocks_one_open ON clocks (ticket_id, stage, unit) WHERE state <> 'stopped';
CREATE INDEX clocks_by_ticket_stage_unit ON clocks (ticket_id, stage, unit, started_at);
