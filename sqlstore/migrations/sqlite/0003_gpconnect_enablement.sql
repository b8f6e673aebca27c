-- GP Connect enablement switches per organisation and capability
-- ('gpconnect' is the global switch). No row means off: a new practice
-- exposes nothing until someone switches it on.
CREATE TABLE gpconnect_enablement (
    org_id     INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    capability TEXT    NOT NULL,
    enabled    INTEGER NOT NULL,
    updated_us INTEGER NOT NULL,
    PRIMARY KEY (org_id, capability)
);
