-- A patient record's clinical content (package record) as one JSON
-- document: a structured-record request reads the whole record of one
-- patient and filters it in memory, so one row per patient is one read.
CREATE TABLE clinical_records (
    patient_id INTEGER PRIMARY KEY REFERENCES patients(id),
    body       TEXT    NOT NULL,
    items      INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_us INTEGER NOT NULL
);
