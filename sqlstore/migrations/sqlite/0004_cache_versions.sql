-- Versions of what a GP Connect slot search reads, for its response cache:
-- 'book:{org id}' moves whenever a slot or schedule of that organisation
-- changes; 'directory' whenever an organisation, practitioner or location
-- does. Triggers move them in the writing transaction, so no code path
-- (and no other replica) can change a book without the version moving.
CREATE TABLE cache_versions (
    scope   TEXT    PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO cache_versions (scope, version) VALUES ('directory', 1);
INSERT INTO cache_versions (scope, version) SELECT 'book:' || id, 1 FROM organisations;

CREATE TRIGGER organisations_version_insert AFTER INSERT ON organisations BEGIN
    INSERT OR IGNORE INTO cache_versions (scope, version) VALUES ('book:' || NEW.id, 1);
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER organisations_version_update AFTER UPDATE ON organisations BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER practitioners_version_insert AFTER INSERT ON practitioners BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER practitioners_version_update AFTER UPDATE ON practitioners BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER practitioners_version_delete AFTER DELETE ON practitioners BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER locations_version_insert AFTER INSERT ON locations BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER locations_version_update AFTER UPDATE ON locations BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER locations_version_delete AFTER DELETE ON locations BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'directory';
END;
CREATE TRIGGER schedules_version_insert AFTER INSERT ON schedules BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'book:' || NEW.org_id;
END;
CREATE TRIGGER schedules_version_update AFTER UPDATE ON schedules BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope IN ('book:' || NEW.org_id, 'book:' || OLD.org_id);
END;
CREATE TRIGGER schedules_version_delete AFTER DELETE ON schedules BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'book:' || OLD.org_id;
END;
CREATE TRIGGER slots_version_insert AFTER INSERT ON slots BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'book:' || NEW.org_id;
END;
CREATE TRIGGER slots_version_update AFTER UPDATE ON slots BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope IN ('book:' || NEW.org_id, 'book:' || OLD.org_id);
END;
CREATE TRIGGER slots_version_delete AFTER DELETE ON slots BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE scope = 'book:' || OLD.org_id;
END;
