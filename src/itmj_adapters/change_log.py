"""What a log of candidate changes tells an index that follows it (``following_index``); the
PostgreSQL log (``postgres.candidate_changes``) is the one there is."""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

import attrs

# Where a page of the log ended: the (transaction id, position) of its last change.
Cursor = tuple[int, int]


@attrs.frozen
class Change:
    position: int
    # None: every follower reads every candidate again (``itmj candidates reindex``).
    candidate_id: int | None
    # The writing transaction's id.
    xid: int

    @property
    def cursor(self) -> Cursor:
        return (self.xid, self.position)


@attrs.frozen
class ChangePage:
    # The horizon of the snapshot that read the page: every transaction below it had ended.
    horizon: int
    changes: Sequence[Change]


class Listener(Protocol):
    def wait(self, timeout: float) -> bool:
        """Whether a change was announced within ``timeout`` seconds."""
        ...


class ChangeLog(Protocol):
    def horizon(self) -> int:
        """Where a reader that is about to read every candidate starts following."""
        ...

    def read(self, horizon: int, after: Cursor | None, limit: int) -> ChangePage:
        """Up to ``limit`` changes of the transactions at or above ``horizon``, ordered by
        cursor and past ``after``."""
        ...

    def request_rebuild(self) -> None: ...

    def prune(self) -> int:
        """Drop the changes older than the log keeps; returns how many."""
        ...

    def listening(self) -> AbstractContextManager[Listener]: ...
