-- The candidate change log of migration 0010, written once per statement instead of once per
-- row: an import writes hundreds of candidates in one statement (COPY), and a trigger call per
-- row cost it as much as the row itself. The log holds the same rows as before, one per
-- candidate a statement inserted, deleted, or updated into something different; a statement
-- that changed nothing wakes no listener.
--
-- PostgreSQL lets a trigger with transition tables fire on one kind of event only: three.
DROP TRIGGER candidates_written ON candidates;
DROP TRIGGER candidates_changed ON candidates;
DROP FUNCTION candidate_changed();

CREATE FUNCTION candidates_logged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO candidate_changes (candidate_id) SELECT id FROM written ORDER BY id;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO candidate_changes (candidate_id) SELECT id FROM gone ORDER BY id;
    ELSE
        INSERT INTO candidate_changes (candidate_id)
        SELECT written.id FROM written JOIN gone ON gone.id = written.id
        WHERE gone.* IS DISTINCT FROM written.* ORDER BY written.id;
    END IF;
    IF FOUND THEN
        -- Identical notifications of one transaction are delivered once, at its commit.
        PERFORM pg_notify('itmj_candidate_changes', '');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER candidates_inserted AFTER INSERT ON candidates
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION candidates_logged();
CREATE TRIGGER candidates_deleted AFTER DELETE ON candidates
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION candidates_logged();
CREATE TRIGGER candidates_updated AFTER UPDATE ON candidates
    REFERENCING OLD TABLE AS gone NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_logged();
