-- Idempotency keys (Idempotency-Key on POST /api/v1/jobs, .../publish and
-- /api/v1/candidates/search), per API key, kept 24 hours. A row is claimed (inserted) first in
-- the transaction of the write it guards and completed with the answer before that transaction
-- commits: a concurrent request with the same key waits on the primary key, then reads the
-- answer. The answer columns are NULL only inside that transaction.

CREATE TABLE idempotency_keys (
    api_key_id  bigint NOT NULL REFERENCES api_keys (id),
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint text NOT NULL,
    created_at  timestamptz NOT NULL,
    status      smallint,
    body        bytea,
    headers     jsonb,
    PRIMARY KEY (api_key_id, key)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
