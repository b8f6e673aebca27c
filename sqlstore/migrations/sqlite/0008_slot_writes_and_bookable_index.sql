-- A row trigger that moves an organisation's book version for every slot
-- inserted costs about a sixth of a bulk generation of slots. SQLite has no
-- statement triggers, so the one statement that inserts slots (SlotWriter,
-- sqlstore/schedule.go) moves the versions of the organisations it wrote
-- to, once per batch, in the same transaction. Updates and deletes, one
-- slot at a time, keep their triggers.
DROP TRIGGER slots_version_insert;

-- The GP Connect bookable slots of an organisation by start: the few that
-- the 111 duty report reads (see BookableSlotsBetween).
CREATE INDEX slots_bookable ON slots(org_id, start_us) WHERE bookable = 1;

-- How far a book's slots have been generated (the first date not yet
-- generated, 'YYYY-MM-DD'), and a fingerprint of what they were generated
-- from (the book, the groups it names, the bank holidays): while the
-- fingerprint holds, a later generation only adds the days after it.
ALTER TABLE books ADD COLUMN generated_through TEXT NOT NULL DEFAULT '';
ALTER TABLE books ADD COLUMN generated_fingerprint TEXT NOT NULL DEFAULT '';
