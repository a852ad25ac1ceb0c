"""Idempotency keys in memory. A unit of work holds the store's lock from start to end, so a
claim and the write it guards can never interleave with another's."""

from datetime import datetime

import attrs

from itmj_adapters.memory.store import Transaction
from itmj_domain.idempotency import IdempotencyRecord, IdempotentRequest, StoredResponse

_TABLE = "idempotency_keys"
_CLAIMED = StoredResponse(0, b"")


class MemoryIdempotency:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def claim(
        self, request: IdempotentRequest, now: datetime, cutoff: datetime
    ) -> IdempotencyRecord | None:
        key = (request.api_key_id, request.key)
        stored = self._tx.table(_TABLE).get(key)
        if stored is not None and stored.created_at > cutoff:
            return stored
        # Kept as PostgreSQL keeps it: the fingerprint the key was first used with, alone.
        first = attrs.evolve(request, raw_fingerprint=None)
        self._tx.put(_TABLE, key, IdempotencyRecord(first, now, _CLAIMED))
        return None

    def complete(self, request: IdempotentRequest, response: StoredResponse) -> None:
        key = (request.api_key_id, request.key)
        claimed = self._tx.table(_TABLE)[key]
        self._tx.put(_TABLE, key, attrs.evolve(claimed, response=response))

    def delete_expired(self, cutoff: datetime, limit: int) -> int:
        old = [key for key, record in self._tx.table(_TABLE).items()
               if record.created_at <= cutoff][:limit]
        for key in old:
            self._tx.delete(_TABLE, key)
        return len(old)
