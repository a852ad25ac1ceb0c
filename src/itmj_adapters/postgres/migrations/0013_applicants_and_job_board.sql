-- What an applicant sent with an application (issue 20): the employer applied to reads it
-- from here, not from the candidate's profile, which a later application to another employer
-- may change. Applications made before this migration take the name, email and phone of
-- their candidate's profile as it is now; they had no cover note or CV text.
ALTER TABLE applications
    ADD COLUMN applicant_name  text CHECK (btrim(applicant_name) <> '' AND length(applicant_name) <= 200),
    ADD COLUMN applicant_email text CHECK (length(applicant_email) <= 320),
    ADD COLUMN applicant_phone text CHECK (length(applicant_phone) <= 50),
    ADD COLUMN cover_note      text CHECK (length(cover_note) <= 2000),
    ADD COLUMN cv_text         text CHECK (length(cv_text) <= 20000);

UPDATE applications a
SET applicant_name = c.full_name, applicant_email = c.email, applicant_phone = c.phone
FROM candidates c
WHERE c.id = a.candidate_id;

ALTER TABLE applications
    ALTER COLUMN applicant_name SET NOT NULL,
    ALTER COLUMN applicant_email SET NOT NULL;

-- One application per candidate and job is checked under the job's lock; this finds it.
CREATE INDEX applications_job_candidate_idx ON applications (job_id, candidate_id, applied_at, id);

-- An application finds its candidate's profile by email, in any letter case.
CREATE INDEX candidates_lower_email_idx ON candidates (lower(email), id);

-- The public job list: every employer's Active jobs, newest posted first.
CREATE INDEX job_posts_active_posted_idx ON job_posts (posted_date DESC, id DESC)
    WHERE status = 'Active';
