-- Foundation: organisations, sites, groups, practitioners, locations,
-- patients, the PDS-like register and the audit trail.
-- Conventions: text columns are NOT NULL DEFAULT '' (no NULL semantics to
-- trip over); dates are 'YYYY-MM-DD' text ('' when unknown); instants are
-- INTEGER microseconds since the Unix epoch, UTC; booleans are 0/1.

CREATE TABLE organisations (
    id             INTEGER PRIMARY KEY,
    ods            TEXT    NOT NULL UNIQUE,
    asid           TEXT    NOT NULL DEFAULT '',
    type           TEXT    NOT NULL CHECK (type IN ('gp-practice','urgent-care','pcn-hub')),
    subtype        TEXT    NOT NULL DEFAULT '',
    name           TEXT    NOT NULL,
    address_lines  TEXT    NOT NULL DEFAULT '',
    city           TEXT    NOT NULL DEFAULT '',
    district       TEXT    NOT NULL DEFAULT '',
    postcode       TEXT    NOT NULL DEFAULT '',
    telecom        TEXT    NOT NULL DEFAULT '[]',
    list_size      INTEGER NOT NULL DEFAULT 0,
    list_size_date TEXT    NOT NULL DEFAULT '',
    pcn_ods        TEXT    NOT NULL DEFAULT '',
    pcn_name       TEXT    NOT NULL DEFAULT '',
    hosted         INTEGER NOT NULL DEFAULT 0,
    updated_us     INTEGER NOT NULL
);

CREATE TABLE organisation_sites (
    ods            TEXT    PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL DEFAULT '',
    address_lines  TEXT    NOT NULL DEFAULT '',
    city           TEXT    NOT NULL DEFAULT '',
    district       TEXT    NOT NULL DEFAULT '',
    postcode       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX organisation_sites_org ON organisation_sites(org_id);

CREATE TABLE organisation_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
);

-- Members are ODS codes, so a group may name organisations we do not host.
CREATE TABLE organisation_group_members (
    group_id INTEGER NOT NULL REFERENCES organisation_groups(id) ON DELETE CASCADE,
    ods      TEXT    NOT NULL,
    PRIMARY KEY (group_id, ods)
);

CREATE TABLE practitioners (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organisations(id),
    sds_user_id      TEXT    NOT NULL DEFAULT '',
    role_profile_ids TEXT    NOT NULL DEFAULT '',
    prefix           TEXT    NOT NULL DEFAULT '',
    given            TEXT    NOT NULL DEFAULT '',
    family           TEXT    NOT NULL,
    gender           TEXT    NOT NULL DEFAULT '',
    job_role_code    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX practitioners_org ON practitioners(org_id);
CREATE INDEX practitioners_sds ON practitioners(sds_user_id);

CREATE TABLE locations (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    site_ods      TEXT    NOT NULL DEFAULT '',
    name          TEXT    NOT NULL,
    address_lines TEXT    NOT NULL DEFAULT '',
    city          TEXT    NOT NULL DEFAULT '',
    district      TEXT    NOT NULL DEFAULT '',
    postcode      TEXT    NOT NULL DEFAULT '',
    telecom       TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX locations_org ON locations(org_id);

-- A patient record held by one organisation. The columns are what
-- queries select on; everything else about the patient is one JSON
-- document (details), written and compared whole: an import binds and
-- compares a handful of values per row instead of twenty-six, which more
-- than doubles its speed on SQLite (see the import benchmark).
CREATE TABLE patients (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    nhs_number TEXT    NOT NULL,
    family     TEXT    NOT NULL,
    birth_date TEXT    NOT NULL,
    reg_status TEXT    NOT NULL DEFAULT 'active',
    details    TEXT    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_us INTEGER NOT NULL,
    UNIQUE (org_id, nhs_number)
);
CREATE INDEX patients_nhs ON patients(nhs_number);

-- The PDS-like national demographic register (one entry per NHS number).
CREATE TABLE people (
    nhs_number    TEXT    PRIMARY KEY,
    prefix        TEXT    NOT NULL DEFAULT '',
    given         TEXT    NOT NULL DEFAULT '',
    family        TEXT    NOT NULL,
    birth_date    TEXT    NOT NULL,
    gender        TEXT    NOT NULL,
    address_lines TEXT    NOT NULL DEFAULT '',
    city          TEXT    NOT NULL DEFAULT '',
    district      TEXT    NOT NULL DEFAULT '',
    postcode      TEXT    NOT NULL DEFAULT '',
    telecom       TEXT    NOT NULL DEFAULT '[]',
    gp_ods        TEXT    NOT NULL DEFAULT '',
    sensitive     INTEGER NOT NULL DEFAULT 0,
    deceased_date TEXT    NOT NULL DEFAULT '',
    superseded_by TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    invalidated   INTEGER NOT NULL DEFAULT 0,
    updated_us    INTEGER NOT NULL
);
CREATE INDEX people_trace ON people(birth_date, lower(family));

-- Tamper-evident audit trail: each event's hash covers the previous
-- event's hash, and audit_head holds the end of the chain.
CREATE TABLE audit_events (
    seq          INTEGER PRIMARY KEY,
    at_us        INTEGER NOT NULL,
    trace_id     TEXT    NOT NULL DEFAULT '',
    action       TEXT    NOT NULL,
    actor        TEXT    NOT NULL DEFAULT '',
    org_ods      TEXT    NOT NULL DEFAULT '',
    requester_ods TEXT   NOT NULL DEFAULT '',
    practitioner TEXT    NOT NULL DEFAULT '',
    device       TEXT    NOT NULL DEFAULT '',
    nhs_number   TEXT    NOT NULL DEFAULT '',
    outcome      TEXT    NOT NULL,
    detail       TEXT    NOT NULL DEFAULT '',
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX audit_events_nhs ON audit_events(nhs_number);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
