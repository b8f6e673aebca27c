-- Appointment outcomes: when the patient arrived, when the outcome was
-- recorded, and who cancelled (patient or practice).
ALTER TABLE appointments ADD COLUMN arrived_us INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN outcome_us INTEGER NOT NULL DEFAULT 0;
ALTER TABLE appointments ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
