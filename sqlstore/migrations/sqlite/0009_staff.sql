-- Staff users, their memberships of organisations in a role, browser
-- sessions and the API tokens of machine consumers (package staff). Tokens
-- are stored as SHA-256 hashes only; passwords as argon2id PHC strings.
CREATE TABLE staff_users (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE,
    display_name    TEXT    NOT NULL DEFAULT '',
    family          TEXT    NOT NULL DEFAULT '',
    given           TEXT    NOT NULL DEFAULT '',
    prefix          TEXT    NOT NULL DEFAULT '',
    sds_user_id     TEXT    NOT NULL DEFAULT '',
    service         INTEGER NOT NULL DEFAULT 0,
    password_hash   TEXT    NOT NULL DEFAULT '',
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until_us INTEGER NOT NULL DEFAULT 0,
    created_us      INTEGER NOT NULL
);

CREATE TABLE staff_memberships (
    user_id         INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL REFERENCES organisations(id),
    role            TEXT    NOT NULL,
    role_profile_id TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, org_id)
);

CREATE TABLE staff_sessions (
    token_hash TEXT    PRIMARY KEY,
    csrf       TEXT    NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    org_ods    TEXT    NOT NULL,
    created_us INTEGER NOT NULL,
    expires_us INTEGER NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    org_ods      TEXT    NOT NULL,
    created_us   INTEGER NOT NULL,
    expires_us   INTEGER NOT NULL DEFAULT 0,
    revoked      INTEGER NOT NULL DEFAULT 0,
    last_used_us INTEGER NOT NULL DEFAULT 0
);
