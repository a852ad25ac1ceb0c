"""The request id of the work in progress, for whatever that work records or logs.

The HTTP edge binds it for each request (the caller's own ``X-Request-Id`` when sane, else a
new one); the outbox stamps it on the events a request writes, and the log formatter puts it
on every line. A context variable, so threads and the requests they serve never mix ids; the
domain never sees it.
"""

import contextvars
import itertools
import os
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


class _Ids:
    """32 hex digits: 16 drawn at random when the process starts (and again in a forked
    child), then a count. Unique as a random id is, without asking the system for
    randomness on every request."""

    def __init__(self) -> None:
        self.restart()
        os.register_at_fork(after_in_child=self.restart)

    def restart(self) -> None:
        self._prefix = secrets.token_hex(8)
        self._count = itertools.count()

    def next(self) -> str:
        return f"{self._prefix}{next(self._count):016x}"


_ids = _Ids()


def new_request_id() -> str:
    return _ids.next()


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
