-- PostgreSQL's slot triggers are statement triggers (0004) and stay; on
-- SQLite, 0008 replaces a row trigger.

-- The GP Connect bookable slots of an organisation by start: the few that
-- the 111 duty report reads (see BookableSlotsBetween).
CREATE INDEX slots_bookable ON slots(org_id, start_us) WHERE bookable;

-- How far a book's slots have been generated (the first date not yet
-- generated, 'YYYY-MM-DD'), and a fingerprint of what they were generated
-- from (the book, the groups it names, the bank holidays): while the
-- fingerprint holds, a later generation only adds the days after it.
ALTER TABLE books ADD COLUMN generated_through TEXT NOT NULL DEFAULT '';
ALTER TABLE books ADD COLUMN generated_fingerprint TEXT NOT NULL DEFAULT '';
