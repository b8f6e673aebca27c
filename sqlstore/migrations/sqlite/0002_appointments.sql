-- Appointment books: schedules (diaries, sessions), their slots,
-- appointments and the slots each appointment takes.
-- Conventions as in 0001: text NOT NULL DEFAULT ''; instants and
-- durations are INTEGER microseconds (instants since the Unix epoch, UTC;
-- 0 for a time that is not stated); booleans are 0/1. An optional
-- practitioner is NULL, so that it can still be a foreign key.

CREATE TABLE schedules (
    id                        INTEGER PRIMARY KEY,
    org_id                    INTEGER NOT NULL REFERENCES organisations(id),
    location_id               INTEGER NOT NULL REFERENCES locations(id),
    practitioner_id           INTEGER REFERENCES practitioners(id),
    service_category          TEXT    NOT NULL DEFAULT '',
    practitioner_role_code    TEXT    NOT NULL DEFAULT '',
    practitioner_role_display TEXT    NOT NULL DEFAULT '',
    planning_start_us         INTEGER NOT NULL DEFAULT 0,
    planning_end_us           INTEGER NOT NULL DEFAULT 0,
    version                   INTEGER NOT NULL DEFAULT 1,
    updated_us                INTEGER NOT NULL
);
CREATE INDEX schedules_org ON schedules(org_id);

-- A slot carries its schedule's organisation (org_id) so that slot search
-- (free slots of one organisation in a window, by start) is one range scan
-- of slots_search. Restrictions are space-separated lists ('' = none).
CREATE TABLE slots (
    id                INTEGER PRIMARY KEY,
    schedule_id       INTEGER NOT NULL REFERENCES schedules(id),
    org_id            INTEGER NOT NULL REFERENCES organisations(id),
    start_us          INTEGER NOT NULL,
    end_us            INTEGER NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'free'
        CHECK (status IN ('free','busy','busy-unavailable','busy-tentative','entered-in-error')),
    service_type      TEXT    NOT NULL DEFAULT '',
    delivery_channel  TEXT    NOT NULL CHECK (delivery_channel IN ('In-person','Telephone','Video','Visit')),
    bookable          INTEGER NOT NULL DEFAULT 0,
    org_types         TEXT    NOT NULL DEFAULT '',
    ods_codes         TEXT    NOT NULL DEFAULT '',
    booking_window_us INTEGER NOT NULL DEFAULT 0,
    embargo_us        INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (schedule_id, start_us),
    CHECK (end_us > start_us),
    CHECK (delivery_channel <> 'Visit' OR bookable = 0)
);
CREATE INDEX slots_search ON slots(org_id, status, start_us);

CREATE TABLE appointments (
    id                        INTEGER PRIMARY KEY,
    org_id                    INTEGER NOT NULL REFERENCES organisations(id),
    patient_id                INTEGER NOT NULL REFERENCES patients(id),
    location_id               INTEGER NOT NULL REFERENCES locations(id),
    practitioner_id           INTEGER REFERENCES practitioners(id),
    schedule_id               INTEGER NOT NULL REFERENCES schedules(id),
    start_us                  INTEGER NOT NULL,
    end_us                    INTEGER NOT NULL,
    status                    TEXT    NOT NULL
        CHECK (status IN ('booked','cancelled','arrived','fulfilled','noshow')),
    description               TEXT    NOT NULL DEFAULT '',
    comment                   TEXT    NOT NULL DEFAULT '',
    cancellation_reason       TEXT    NOT NULL DEFAULT '',
    created_us                INTEGER NOT NULL,
    booking_org               TEXT    NOT NULL DEFAULT '{}',
    identifiers               TEXT    NOT NULL DEFAULT '[]',
    service_type              TEXT    NOT NULL DEFAULT '',
    service_category          TEXT    NOT NULL DEFAULT '',
    delivery_channel          TEXT    NOT NULL DEFAULT '',
    practitioner_role_code    TEXT    NOT NULL DEFAULT '',
    practitioner_role_display TEXT    NOT NULL DEFAULT '',
    booked_via                TEXT    NOT NULL CHECK (booked_via IN ('gpconnect','practice')),
    version                   INTEGER NOT NULL DEFAULT 1,
    updated_us                INTEGER NOT NULL
);
CREATE INDEX appointments_patient ON appointments(patient_id, start_us);
CREATE INDEX appointments_org ON appointments(org_id, start_us);

-- The slots of each appointment. active is true while the appointment
-- holds the slot (false once it is cancelled); a slot is held by at most
-- one appointment at a time.
CREATE TABLE appointment_slots (
    appointment_id INTEGER NOT NULL REFERENCES appointments(id),
    slot_id        INTEGER NOT NULL REFERENCES slots(id),
    active         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (appointment_id, slot_id)
);
CREATE INDEX appointment_slots_slot ON appointment_slots(slot_id);
CREATE UNIQUE INDEX appointment_slots_held ON appointment_slots(slot_id) WHERE active = 1;
