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
-- (itmj_adapters.postgres.rate_limiter): the sliding window of the other adapters. Unlogged: a
-- crash forgets at most a minute of counting, and writes skip the WAL.
CREATE UNLOGGED TABLE rate_limit_windows (
    policy     text NOT NULL,
    subject    text NOT NULL,
    -- How many requests rate_limit_hits counts in the window, and the newest one's instant (ms).
    places     bigint NOT NULL DEFAULT 0,
    latest     bigint NOT NULL DEFAULT 0,
    -- When the newest counted request leaves the window (ms): the window can go after that.
    expires_ms bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (policy, subject)
);

-- The instant (ms) of each request a window counts: a row each, so that a call costs what
-- leaves the window and an index lookup, however many requests the window holds.
CREATE UNLOGGED TABLE rate_limit_hits (
    policy text NOT NULL,
    subject text NOT NULL,
    at_ms  bigint NOT NULL
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (policy, subject, at_ms);

-- Drop the requests that left the window, count this one if the limit leaves room, and say
-- what the window then holds. One call, one round trip; the window's row lock serialises the
-- calls for one key, whichever process makes them.
CREATE FUNCTION itmj_rate_limit_hit(
    p_policy text, p_subject text, p_now bigint, p_period bigint, p_limit bigint,
    OUT allowed boolean, OUT counted bigint, OUT oldest bigint, OUT newest bigint
) LANGUAGE plpgsql AS $$
DECLARE
    gone bigint;
BEGIN
    LOOP
        SELECT w.places, w.latest INTO counted, newest FROM rate_limit_windows AS w
         WHERE w.policy = p_policy AND w.subject = p_subject FOR UPDATE;
        EXIT WHEN FOUND;
        -- New, or pruned while this call waited for it.
        INSERT INTO rate_limit_windows (policy, subject) VALUES (p_policy, p_subject)
            ON CONFLICT DO NOTHING;
    END LOOP;
    WITH left_window AS (
        DELETE FROM rate_limit_hits AS h
         WHERE h.policy = p_policy AND h.subject = p_subject AND h.at_ms <= p_now - p_period
        RETURNING 1
    )
    SELECT count(*) INTO gone FROM left_window;
    counted := counted - gone;
    allowed := counted < p_limit;
    IF allowed THEN
        INSERT INTO rate_limit_hits (policy, subject, at_ms) VALUES (p_policy, p_subject, p_now);
        counted := counted + 1;
        newest := greatest(newest, p_now);
    END IF;
    IF counted = 0 THEN
        oldest := p_now;
        newest := p_now;
    ELSE
        SELECT min(h.at_ms) INTO oldest FROM rate_limit_hits AS h
         WHERE h.policy = p_policy AND h.subject = p_subject;
    END IF;
    UPDATE rate_limit_windows AS w
       SET places = counted, latest = newest, expires_ms = newest + p_period
     WHERE w.policy = p_policy AND w.subject = p_subject;
END
$$;
