-- SPEC §12: every event is numbered among its employer's events, event payloads name the job
-- and its reference, and each delivery carries what orders its first attempt: the subject
-- (the application or job the event is about) and the event's number.

-- The last number given to each employer's events. The trigger below takes an event's number
-- from this row in the transaction that writes the event, which then holds the row until it
-- ends: of two transactions writing one employer's events, the second waits for the first,
-- so an employer's numbers become visible in order, and a reader paging by number (the
-- Events API) never sees a lower number appear after a higher one. Writers of several
-- employers' events take the rows in employer order, so they cannot deadlock.
CREATE TABLE employer_event_sequences (
    employer_id   bigint PRIMARY KEY REFERENCES employers (id),
    last_sequence bigint NOT NULL CHECK (last_sequence > 0)
);

ALTER TABLE outbox_events
    ADD COLUMN employer_sequence bigint,
    ADD COLUMN subject text;

UPDATE outbox_events e SET employer_sequence = numbered.n
FROM (
    SELECT id, row_number() OVER (PARTITION BY employer_id ORDER BY sequence_number) AS n
    FROM outbox_events
) AS numbered
WHERE numbered.id = e.id;

UPDATE outbox_events SET subject = CASE type
    WHEN 'job.expired' THEN 'job:' || (payload ->> 'job_post_id')
    WHEN 'webhook.test' THEN NULL
    ELSE 'application:' || (payload ->> 'application_id')
END;

INSERT INTO employer_event_sequences (employer_id, last_sequence)
SELECT employer_id, max(employer_sequence) FROM outbox_events GROUP BY employer_id;

-- The database numbers every event it stores, whoever writes it: a process of the previous
-- release, still running during a rolling upgrade, numbers its events too.
CREATE FUNCTION number_outbox_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO employer_event_sequences AS s (employer_id, last_sequence)
    VALUES (NEW.employer_id, 1)
    ON CONFLICT (employer_id) DO UPDATE SET last_sequence = s.last_sequence + 1
    RETURNING s.last_sequence INTO NEW.employer_sequence;
    RETURN NEW;
END
$$;

CREATE TRIGGER outbox_events_numbered BEFORE INSERT ON outbox_events
    FOR EACH ROW EXECUTE FUNCTION number_outbox_event();

ALTER TABLE outbox_events ALTER COLUMN employer_sequence SET NOT NULL;

-- The Events API: an employer's events by number.
CREATE UNIQUE INDEX outbox_events_employer_sequence_idx
    ON outbox_events (employer_id, employer_sequence);

-- Events stored before their payloads named the job and its reference.
UPDATE outbox_events e SET payload = e.payload || jsonb_build_object('job_post_id', a.job_id)
FROM applications a
WHERE e.type = 'application.status_changed' AND NOT e.payload ? 'job_post_id'
  AND a.id = (e.payload ->> 'application_id')::bigint;

UPDATE outbox_events e SET payload = e.payload || jsonb_build_object('reference', j.reference)
FROM job_posts j
WHERE e.type IN ('application.submitted', 'application.status_changed', 'job.expired')
  AND NOT e.payload ? 'reference'
  AND j.id = (e.payload ->> 'job_post_id')::bigint;

-- Null for a test event, and for one a previous release wrote: neither waits for another.
ALTER TABLE webhook_deliveries
    ADD COLUMN subject text,
    ADD COLUMN event_sequence bigint;

UPDATE webhook_deliveries d SET subject = e.subject, event_sequence = e.employer_sequence
FROM outbox_events e
WHERE e.id = d.event_id;

-- Whether an earlier event about the same subject still waits for its first attempt, or is
-- being sent, for this subscription.
CREATE INDEX webhook_deliveries_subject_idx
    ON webhook_deliveries (subscription_id, subject, event_sequence)
    WHERE status = 'pending' AND subject IS NOT NULL;

-- The sweep: pending deliveries, soonest due first, then by their event's number, so that a
-- subscription enabled again sends its backlog oldest event first.
CREATE INDEX webhook_deliveries_due_order_idx
    ON webhook_deliveries (next_attempt_at, event_sequence, id) WHERE status = 'pending';
DROP INDEX webhook_deliveries_due_idx;
