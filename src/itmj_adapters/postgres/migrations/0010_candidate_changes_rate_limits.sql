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
-- (itmj_adapters.postgres.rate_limiter), counted as the Redis adapter counts them. Unlogged: a
-- crash forgets at most a minute of counting, and writes skip the WAL.
CREATE UNLOGGED TABLE rate_limit_windows (
    policy     text NOT NULL,
    subject    text NOT NULL,
    -- The instants (ms) the window counts places at, and how many at each: the places of a
    -- lease all count at its end, so a busy key costs an entry per lease, not per request.
    instants   bigint[] NOT NULL DEFAULT '{}',
    places     bigint[] NOT NULL DEFAULT '{}',
    -- When the last place leaves the window (ms): the row can go after that.
    expires_ms bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (policy, subject)
);

-- Drop the places that left the window, grant up to p_wanted of what the limit leaves, each
-- counted at p_now + p_lease, and say what the window then holds. One call, one round trip; the
-- row lock serialises the calls for one key, whichever process makes them.
CREATE FUNCTION itmj_rate_limit_hit(
    p_policy text, p_subject text, p_now bigint, p_period bigint, p_limit bigint,
    p_wanted bigint, p_lease bigint,
    OUT granted bigint, OUT counted bigint, OUT oldest bigint, OUT newest bigint
) LANGUAGE plpgsql AS $$
DECLARE
    kept_instants bigint[];
    kept_places bigint[];
BEGIN
    INSERT INTO rate_limit_windows (policy, subject) VALUES (p_policy, p_subject)
        ON CONFLICT DO NOTHING;
    PERFORM 1 FROM rate_limit_windows WHERE policy = p_policy AND subject = p_subject
        FOR UPDATE;
    SELECT coalesce(array_agg(u.at ORDER BY u.at), '{}'), coalesce(array_agg(u.n ORDER BY u.at), '{}'),
           coalesce(sum(u.n), 0)
      INTO kept_instants, kept_places, counted
      FROM rate_limit_windows AS w, unnest(w.instants, w.places) AS u(at, n)
      WHERE w.policy = p_policy AND w.subject = p_subject AND u.at > p_now - p_period;
    granted := greatest(0, least(p_wanted, p_limit - counted));
    IF granted > 0 THEN
        kept_instants := kept_instants || (p_now + p_lease);
        kept_places := kept_places || granted;
        counted := counted + granted;
    END IF;
    SELECT min(at), max(at) INTO oldest, newest FROM unnest(kept_instants) AS at;
    UPDATE rate_limit_windows
       SET instants = kept_instants, places = kept_places,
           expires_ms = coalesce(newest, p_now) + p_period
     WHERE policy = p_policy AND subject = p_subject;
    IF counted = 0 THEN
        oldest := p_now;
        newest := p_now;
    END IF;
END
$$;
