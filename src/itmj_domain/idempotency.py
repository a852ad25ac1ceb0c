"""Idempotent writes: a partner that sends ``Idempotency-Key`` with a write and retries it
(after a timeout, say) gets the first answer again, and the write happens, and is paid for,
once.

A key belongs to the API key that sent it and lives 24 hours. It is stored in the same unit of
work as the write it guards, together with the answer, so there is a record exactly when the
write took effect: a request that failed (a 4xx, a 5xx) left no record, and its retry runs
afresh, which is what a partner that fixes the cause (buys credits, say) expects. While one
request holds a key, a concurrent one with the same key waits for it and then answers from its
record. The same key with another request (method, path or body) is refused.
"""

import hashlib
from datetime import datetime, timedelta

import attrs

from itmj_domain.errors import InvalidInput

MAX_KEY_LENGTH = 255
RETENTION = timedelta(hours=24)


def _validate_key(_instance: object, _attribute: "attrs.Attribute[str]", value: str) -> None:
    if not 1 <= len(value) <= MAX_KEY_LENGTH:
        raise InvalidInput(
            f"the Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} characters"
        )


@attrs.frozen
class StoredResponse:
    """An answer as it was sent: status, body, and the headers that belong to it."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class IdempotentRequest:
    api_key_id: int
    key: str = attrs.field(validator=_validate_key)
    # What was asked (method, path, body), hashed: the same key must ask the same.
    fingerprint: str


@attrs.frozen
class IdempotencyRecord:
    request: IdempotentRequest
    created_at: datetime
    response: StoredResponse


def fingerprint(method: str, target: str, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{method} {target}\n".encode())
    digest.update(body)
    return digest.hexdigest()


class AlreadyAnswered(Exception):
    """The request was made before with the same key: this is the answer it got."""

    def __init__(self, response: StoredResponse) -> None:
        super().__init__("answered before")
        self.response = response
