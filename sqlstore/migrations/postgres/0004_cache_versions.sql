-- Versions of what a GP Connect slot search reads, for its response cache:
-- 'book:{org id}' moves whenever a slot or schedule of that organisation
-- changes; 'directory' whenever an organisation, practitioner or location
-- does. Statement-level triggers move them in the writing transaction, so
-- no code path (and no other replica) can change a book without the
-- version moving, and a bulk insert moves each version once.
CREATE TABLE cache_versions (
    scope   TEXT   PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO cache_versions (scope, version) VALUES ('directory', 1);
INSERT INTO cache_versions (scope, version) SELECT 'book:' || id, 1 FROM organisations;

CREATE FUNCTION bump_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
    RETURN NULL;
END $$;

CREATE FUNCTION add_book_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cache_versions (scope, version) SELECT 'book:' || id, 1 FROM new_rows ON CONFLICT (scope) DO NOTHING;
    RETURN NULL;
END $$;

-- bump_book_versions moves the book version of every organisation the
-- statement's rows belong to (new and old, as the statement allows).
CREATE FUNCTION bump_book_versions_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1
     WHERE scope IN (SELECT DISTINCT 'book:' || org_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION bump_book_versions_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1
     WHERE scope IN (SELECT DISTINCT 'book:' || org_id FROM old_rows);
    RETURN NULL;
END $$;
CREATE FUNCTION bump_book_versions_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1
     WHERE scope IN (SELECT 'book:' || org_id FROM new_rows UNION SELECT 'book:' || org_id FROM old_rows);
    RETURN NULL;
END $$;

CREATE TRIGGER organisations_books AFTER INSERT ON organisations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION add_book_versions();
CREATE TRIGGER organisations_directory AFTER INSERT OR UPDATE OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
CREATE TRIGGER practitioners_directory AFTER INSERT OR UPDATE OR DELETE ON practitioners
    FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
CREATE TRIGGER locations_directory AFTER INSERT OR UPDATE OR DELETE ON locations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();

CREATE TRIGGER schedules_book_insert AFTER INSERT ON schedules REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_book_versions_new();
CREATE TRIGGER schedules_book_update AFTER UPDATE ON schedules REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_book_versions_both();
CREATE TRIGGER schedules_book_delete AFTER DELETE ON schedules REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_book_versions_old();
CREATE TRIGGER slots_book_insert AFTER INSERT ON slots REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_book_versions_new();
CREATE TRIGGER slots_book_update AFTER UPDATE ON slots REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_book_versions_both();
CREATE TRIGGER slots_book_delete AFTER DELETE ON slots REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_book_versions_old();
