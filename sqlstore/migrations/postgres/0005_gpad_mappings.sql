-- A practice's national slot mapping (GPAD): each slot type to a national
-- category and a service setting.
CREATE TABLE gpad_mappings (
    org_id     BIGINT  NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    slot_type  TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    setting    TEXT    NOT NULL,
    updated_us BIGINT  NOT NULL,
    PRIMARY KEY (org_id, slot_type)
);
