"""A process-local search index that fills itself from the database before its first search.

An in-memory index in front of PostgreSQL starts empty in every process. Until it is filled
the database alone is the record, so changes reported meanwhile are dropped: the fill reads
them anyway. A server fills it at start (``fill``); otherwise the first search does, and a
one-shot command that never searches never pays for reading every candidate.
"""

import threading
from collections.abc import Callable, Sequence

from itmj_domain.ports import (
    CandidateIndex,
    IndexedCandidate,
    ParsedQuery,
    SearchFilters,
    SearchHits,
)


class SelfFillingIndex:
    def __init__(self, inner: CandidateIndex, fill_inner: Callable[[], object]) -> None:
        self._inner = inner
        self._fill_inner = fill_inner
        self._filled = False
        # Held across the fill, so a change reported meanwhile lands after what it read.
        self._lock = threading.Lock()

    def fill(self) -> None:
        with self._lock:
            if not self._filled:
                self._fill_inner()
                self._filled = True

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        with self._lock:
            if self._filled:
                self._inner.upsert(candidates)

    def remove(self, candidate_ids: Sequence[int]) -> None:
        with self._lock:
            if self._filled:
                self._inner.remove(candidate_ids)

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        if not self._filled:
            self.fill()
        return self._inner.search(query, filters, offset, limit)
