-- Sync and lookup on the job and application lists (additive).
--
-- Pages after a position compare (created_at, id) or (applied_at, id) as rows; the
-- newest-first indexes of 0001 and 0002 already answer that as a range, status or not.
-- What is new are the filters: a job by the partner's own reference, and the rows changed
-- since a time (updatedSince), which a sync asks for far more often than it walks all.

CREATE INDEX job_posts_employer_reference_idx
    ON job_posts (employer_id, reference) WHERE reference IS NOT NULL;
CREATE INDEX job_posts_employer_updated_idx
    ON job_posts (employer_id, updated_at);
-- An application's last change is its application until it first moves.
CREATE INDEX applications_job_changed_idx
    ON applications (job_id, (coalesce(updated_at, applied_at)));
