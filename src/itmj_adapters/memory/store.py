"""The shared state of the in-memory adapters and its unit of work.

A unit of work holds the store's lock from start to end, which makes every unit of work
serializable, and keeps an undo log so that leaving without ``commit`` restores exactly what
it changed. That gives the same isolation and atomicity the Postgres adapter gives.
"""

import itertools
import threading
from collections import defaultdict
from collections.abc import Hashable
from types import TracebackType
from typing import Any, Self

_MISSING = object()


class MemoryStore:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: defaultdict[str, dict[Any, Any]] = defaultdict(dict)
        self._sequences: defaultdict[str, itertools.count] = defaultdict(
            lambda: itertools.count(1)
        )

    def next_id(self, sequence: str) -> int:
        with self.lock:
            return next(self._sequences[sequence])


class Transaction:
    """Writes to the store's tables, remembering how to undo them."""

    def __init__(self, store: MemoryStore, read_only: bool) -> None:
        self.store = store
        self.read_only = read_only
        self._undo: list[tuple[str, Hashable, Any]] = []

    def table(self, name: str) -> dict[Any, Any]:
        """The table's rows by key; each adapter knows the types of its own tables."""
        return self.store.tables[name]

    def put(self, table: str, key: Hashable, value: Any) -> None:
        if self.read_only:
            raise RuntimeError("write in a read-only unit of work")
        rows = self.store.tables[table]
        self._undo.append((table, key, rows.get(key, _MISSING)))
        rows[key] = value

    def delete(self, table: str, key: Hashable) -> None:
        rows = self.store.tables[table]
        if key in rows:
            if self.read_only:
                raise RuntimeError("write in a read-only unit of work")
            self._undo.append((table, key, rows.pop(key)))

    def forget_undo(self) -> None:
        self._undo.clear()

    def roll_back(self) -> None:
        for table, key, previous in reversed(self._undo):
            rows = self.store.tables[table]
            if previous is _MISSING:
                rows.pop(key, None)
            else:
                rows[key] = previous
        self._undo.clear()

    def __enter__(self) -> Self:
        self.store.lock.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.roll_back()
        finally:
            self.store.lock.release()
