-- Every change to a candidate, so that each server process keeps its in-memory search index in
-- line with the database (itmj_adapters.postgres.candidate_changes). A trigger writes it in
-- the transaction of the change, whatever wrote the candidate, and wakes the listeners when
-- that transaction commits. A row without a candidate asks every process to rebuild its index
-- (`itmj candidates reindex`).
--
-- Positions are taken before commit, so they commit out of order: readers follow the writing
-- transaction's id (xid) against their snapshot's horizon instead (see the module above).
CREATE TABLE candidate_changes (
    position     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    candidate_id bigint,
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX candidate_changes_xid ON candidate_changes (xid, position);
CREATE INDEX candidate_changes_changed_at ON candidate_changes (changed_at);

CREATE FUNCTION candidate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO candidate_changes (candidate_id) VALUES (OLD.id);
    ELSE
        INSERT INTO candidate_changes (candidate_id) VALUES (NEW.id);
    END IF;
    -- Identical notifications of one transaction are delivered once, at its commit.
    PERFORM pg_notify('itmj_candidate_changes', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER candidates_written AFTER INSERT OR DELETE ON candidates
    FOR EACH ROW EXECUTE FUNCTION candidate_changed();
CREATE TRIGGER candidates_changed AFTER UPDATE ON candidates
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION candidate_changed();

-- Rate-limit windows shared by every process when there is no Redis
-- (itmj_adapters.postgres.rate_limiter): the instants (ms) of the requests counted in each
-- window. Unlogged: a crash loses at most a minute of counting, and writes skip the WAL.
CREATE UNLOGGED TABLE rate_limit_windows (
    policy     text NOT NULL,
    subject    text NOT NULL,
    hits       bigint[] NOT NULL,
    -- The token of the last request counted, which tells the request whether it was.
    last_token text NOT NULL,
    -- When the newest counted request leaves the window (ms): the row can go after that.
    expires_ms bigint NOT NULL,
    PRIMARY KEY (policy, subject)
);
