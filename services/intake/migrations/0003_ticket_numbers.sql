-- Ticket numbers' counter becomes a sequence. The counter row of the day
-- (ticket_number_days) was locked by every create from the moment it was
-- numbered until it committed, so all creates of a day ran one at a time,
-- exactly when a storm multiplies the calls. nextval locks nothing that a
-- transaction keeps: a number is taken and the create goes on.
--
-- The counter no longer restarts each day: it runs over all tickets, so a
-- number is unique by its counter alone (ticket_number.h has the format).
-- A rolled-back create leaves a gap.
CREATE SEQUENCE ticket_numbers AS bigint;

-- Start above every daily counter already issued, so that no new number
-- repeats one given out today (earlier days differ by their date anyway).
SELECT setval('ticket_numbers', max(last_sequence))
FROM ticket_number_days
HAVING max(last_sequence) IS NOT NULL;

DROP TABLE ticket_number_days;
