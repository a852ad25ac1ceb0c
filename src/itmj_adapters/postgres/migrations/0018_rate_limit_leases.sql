-- Rate-limit leases in PostgreSQL, as in Redis (itmj_adapters.rate_limit_leases): a process
-- takes several places of a busy key's window in one call and serves the key's next requests
-- from them, each place counted at the instant its lease ends.
--
-- A lease is one row of rate_limit_hits with a count of places, not a row per place: its
-- places share one instant, so they leave the window together and one row says all the window
-- needs of them, and a lease costs a row written and a row deleted whatever its size (up to
-- 64 places under a raised limit). What leaves the window is summed from the rows the DELETE
-- returns, so dropping stays a range of the index however many places a row holds.
-- Rows written before this migration count one place each, as they did.
ALTER TABLE rate_limit_hits ADD COLUMN places integer NOT NULL DEFAULT 1;

-- Drop the places that left the window, grant up to p_wanted of what the limit leaves, all
-- counted at p_now + p_lease (0: used now), and say what the window then holds: places granted
-- (0: refused), places counted, oldest and newest instant (ms). One call, one round trip; the
-- window row's lock serialises the calls for one key, whichever process makes them, so two
-- cannot both take the last place.
CREATE FUNCTION itmj_rate_limit_take(
    p_policy text, p_subject text, p_now bigint, p_period bigint, p_limit bigint,
    p_wanted bigint, p_lease bigint,
    OUT granted bigint, OUT counted bigint, OUT oldest bigint, OUT newest bigint
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
        RETURNING h.places
    )
    SELECT coalesce(sum(places), 0) INTO gone FROM left_window;
    counted := counted - gone;
    granted := greatest(0, least(p_wanted, p_limit - counted));
    IF granted > 0 THEN
        INSERT INTO rate_limit_hits (policy, subject, at_ms, places)
            VALUES (p_policy, p_subject, p_now + p_lease, granted);
        counted := counted + granted;
        newest := greatest(newest, p_now + p_lease);
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

-- The one-place call of the previous release, kept for its processes still running during a
-- rolling upgrade. Its old body subtracted the rows that left the window, not their places, so
-- a lease leaving would have stayed counted for good; it now takes one place through the
-- function above, and both releases count one window alike.
CREATE OR REPLACE FUNCTION itmj_rate_limit_hit(
    p_policy text, p_subject text, p_now bigint, p_period bigint, p_limit bigint,
    OUT allowed boolean, OUT counted bigint, OUT oldest bigint, OUT newest bigint
) LANGUAGE sql AS $$
    SELECT t.granted > 0, t.counted, t.oldest, t.newest
      FROM itmj_rate_limit_take(p_policy, p_subject, p_now, p_period, p_limit, 1, 0) AS t
$$;
