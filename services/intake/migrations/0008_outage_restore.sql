-- outage's restore event (topic outage.restored) resolves the repairs linked
-- to the notice: it finds them by notice id among the linked tickets only
-- (store/ticket_store.cc, kLockLinkedToOutage). A ticket leaves the index
-- when it leaves linked_to_outage.
CREATE INDEX tickets_linked_to_outage ON intake.tickets (outage_notice_id)
  WHERE status = 'linked_to_outage';
