-- The endpoint directory (SDS-like) for organisations this deployment does
-- not host — hosted ones are resolved from organisations — and data
-- sharing agreements (package spine). Dates are 'YYYY-MM-DD' text, which
-- compares in date order; an empty until_date is open-ended.
CREATE TABLE endpoints (
    ods        TEXT    NOT NULL,
    service    TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    asid       TEXT    NOT NULL,
    updated_us INTEGER NOT NULL,
    PRIMARY KEY (ods, service)
);

CREATE TABLE sharing_agreements (
    id         INTEGER PRIMARY KEY,
    provider   TEXT    NOT NULL,
    consumer   TEXT    NOT NULL,
    capability TEXT    NOT NULL,
    from_date  TEXT    NOT NULL,
    until_date TEXT    NOT NULL DEFAULT '',
    reference  TEXT    NOT NULL DEFAULT '',
    created_us INTEGER NOT NULL,
    created_by TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sharing_agreements_pair ON sharing_agreements(provider, consumer);
