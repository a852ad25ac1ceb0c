"""Idempotent writes: a partner that sends ``Idempotency-Key`` with a write and retries it
(after a timeout, say) gets the first answer again, and the write happens, and is paid for,
once.

A key belongs to the API key that sent it and lives 24 hours. It is stored in the same unit of
work as the write it guards, together with the answer, so there is a record exactly when the
write took effect: a request that failed (a 4xx, a 5xx) left no record, and its retry runs
afresh, which is what a partner that fixes the cause (buys credits, say) expects. While one
request holds a key, a concurrent one with the same key waits for it and then answers from its
record. The same key with another request (method, path or body) is refused.

A body is compared by meaning (SPEC §12): the same JSON with its keys in another order, other
whitespace or another spelling of a string or number is the same request.
"""

import hashlib
import json
from datetime import datetime, timedelta

import attrs

from itmj_domain.errors import InvalidInput

MAX_KEY_LENGTH = 255
RETENTION = timedelta(hours=24)
# What a fingerprint by meaning starts with; a record's fingerprint without it is raw.
_BY_MEANING = "json:"
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


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
    # What was asked (method, path, body by meaning), hashed: the same key must ask the same.
    fingerprint: str
    # The same over the body's bytes, which records made before bodies were compared by
    # meaning hold; None where no such record can exist. Records live 24 hours, so this
    # serves the first day after the upgrade and can go in a later release.
    raw_fingerprint: str | None = None

    def asks_as(self, first: "IdempotentRequest") -> bool:
        """Whether this request asks what ``first``, made before with the key, asked."""
        if first.fingerprint.startswith(_BY_MEANING) or self.raw_fingerprint is None:
            return first.fingerprint == self.fingerprint
        return first.fingerprint == self.raw_fingerprint


@attrs.frozen
class IdempotencyRecord:
    request: IdempotentRequest
    created_at: datetime
    response: StoredResponse


def fingerprint(method: str, target: str, body: bytes) -> str:
    """The hash of a request by meaning: its JSON body in one canonical spelling (keys
    sorted, no whitespace, strings ASCII-escaped, a whole number written as an integer),
    marked apart from the raw fingerprints of older records. A body that is not JSON (none
    reaches a use case) counts as its bytes."""
    try:
        document = json.loads(body) if body else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        canonical = body
    else:
        canonical = b"" if document is None else _CANONICAL.encode(_plain(document)).encode()
    return _BY_MEANING + _digest(method, target, canonical)


def raw_fingerprint(method: str, target: str, body: bytes) -> str:
    """The hash of a request with its body's bytes as they came, as records made before
    bodies were compared by meaning were fingerprinted."""
    return _digest(method, target, body)


def _digest(method: str, target: str, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"{method} {target}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def _plain(value: object) -> object:
    """``value`` with every whole float as the int it equals: JSON has one kind of number,
    and 5, 5.0 and 5e0 are the same one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class AlreadyAnswered(Exception):
    """The request was made before with the same key: this is the answer it got."""

    def __init__(self, response: StoredResponse) -> None:
        super().__init__("answered before")
        self.response = response
