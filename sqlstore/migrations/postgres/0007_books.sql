-- Appointment books as practices configure them (package rota): the whole
-- book of an organisation as canonical JSON, and the schedule each of its
-- session templates (by name) generates slots into. A session removed from
-- the book keeps its row, so that its booked slots stay traceable and a
-- session added back under the same name reuses its schedule.
CREATE TABLE books (
    org_id     BIGINT PRIMARY KEY REFERENCES organisations(id),
    body       TEXT    NOT NULL,
    version    BIGINT  NOT NULL DEFAULT 1,
    updated_us BIGINT  NOT NULL
);

CREATE TABLE book_sessions (
    org_id      BIGINT  NOT NULL REFERENCES organisations(id),
    name        TEXT    NOT NULL,
    schedule_id BIGINT  NOT NULL UNIQUE REFERENCES schedules(id),
    PRIMARY KEY (org_id, name)
);
