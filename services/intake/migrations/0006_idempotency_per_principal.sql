-- Idempotency keys belong to the caller who sent them: the stored key is
-- "<principal> <key>" (ticket_desk.cc). Keys stored before keep working for
-- the principal that created the ticket.
UPDATE intake.tickets SET idempotency_key = created_by || ' ' || idempotency_key;
