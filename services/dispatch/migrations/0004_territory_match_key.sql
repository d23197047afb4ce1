-- Territory entries are found by the normalised text of their deepest part
-- (routing.h TerritoryMatchKey, libs/address), so that an address that leaves
-- out its province or city, or spells a part in another width or case, still
-- finds the entries that may cover it; routing then decides with the whole
-- path. The key is computed by the service when a branch is saved; rows saved
-- before this migration have none and are read as candidates for every
-- ticket until their branch is saved again.
ALTER TABLE territories ADD COLUMN match_key text;
CREATE INDEX territories_by_match_key ON territories (level, match_key);
CREATE INDEX territories_without_match_key ON territories (branch_id) WHERE match_key IS NULL;
