"""Idempotency keys in PostgreSQL: the primary key makes a second claim of a key wait for the
transaction holding it, then see its committed answer (or take the key if it rolled back)."""

from datetime import datetime

from psycopg.types.json import Jsonb

from itmj_adapters.postgres.session import Session
from itmj_domain.idempotency import IdempotencyRecord, IdempotentRequest, StoredResponse

# A key made at or before the cutoff has expired: it is taken over, as if it were new.
_CLAIM = """
INSERT INTO idempotency_keys AS held (api_key_id, key, fingerprint, created_at)
VALUES (%s, %s, %s, %s)
ON CONFLICT (api_key_id, key) DO UPDATE
SET fingerprint = excluded.fingerprint, created_at = excluded.created_at,
    status = NULL, body = NULL, headers = NULL
WHERE held.created_at <= %s
RETURNING 1
"""
_FIND = """
SELECT fingerprint, created_at, status, body, headers FROM idempotency_keys
WHERE api_key_id = %s AND key = %s
"""
_COMPLETE = """
UPDATE idempotency_keys SET status = %s, body = %s, headers = %s
WHERE api_key_id = %s AND key = %s
"""
_DELETE_OLD = """
DELETE FROM idempotency_keys WHERE (api_key_id, key) IN (
    SELECT api_key_id, key FROM idempotency_keys WHERE created_at <= %s LIMIT %s
)
"""


class PostgresIdempotency:
    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(
        self, request: IdempotentRequest, now: datetime, cutoff: datetime
    ) -> IdempotencyRecord | None:
        ids = (request.api_key_id, request.key)
        taken = self._session.write_all(_CLAIM, (*ids, request.fingerprint, now, cutoff))
        if taken:
            return None
        row = self._session.one(_FIND, ids)
        assert row is not None, "a key that conflicted is there"
        fingerprint, created_at, status, body, headers = row
        return IdempotencyRecord(
            IdempotentRequest(request.api_key_id, request.key, fingerprint),
            created_at,
            StoredResponse(status, bytes(body), tuple(tuple(pair) for pair in headers)),
        )

    def complete(self, request: IdempotentRequest, response: StoredResponse) -> None:
        self._session.write(
            _COMPLETE,
            (response.status, response.body, Jsonb([list(pair) for pair in response.headers]),
             request.api_key_id, request.key),
        )

    def delete_expired(self, cutoff: datetime, limit: int) -> int:
        return self._session.write(_DELETE_OLD, (cutoff, limit))
