"""The request id of the work in progress, for whatever that work records or logs.

The HTTP edge binds it for each request (the caller's own ``X-Request-Id`` when sane, else a
new one); the outbox stamps it on the events a request writes, and the log formatter puts it
on every line. A context variable, so threads and the requests they serve never mix ids; the
domain never sees it.
"""

import contextvars
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

MAX_LENGTH = 128
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "itmj_request_id", default=None
)


def is_sane(value: str | None) -> bool:
    """1 to 128 visible ASCII characters (0x21 to 0x7E): what a caller's own id may be."""
    return (
        value is not None and 0 < len(value) <= MAX_LENGTH
        and all("!" <= char <= "~" for char in value)
    )


def new_request_id() -> str:
    """32 random hex digits, as ``uuid4().hex`` looks but without building a UUID."""
    return secrets.token_hex(16)


def current_request_id() -> str | None:
    return _current.get()


def bind(request_id: str | None) -> contextvars.Token[str | None]:
    """Make ``request_id`` current; ``unbind`` with the token restores the one before."""
    return _current.set(request_id)


def unbind(token: contextvars.Token[str | None]) -> None:
    _current.reset(token)


@contextmanager
def bound(request_id: str | None) -> Iterator[None]:
    token = bind(request_id)
    try:
        yield
    finally:
        unbind(token)
