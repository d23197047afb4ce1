-- A ticket is written once, then updated by the events of its order and its
-- clocks. An update that changes no indexed column (the deadlines' arrival,
-- urgings, the sequence of the last event applied) can stay on the ticket's
-- page as a heap-only tuple, with no new index entries, only when that page
-- has room: new pages keep a fifth of their space for such updates.
ALTER TABLE intake.tickets SET (fillfactor = 80);
