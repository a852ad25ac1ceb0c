"""What the edges count, beside the use cases' ``Metrics`` port: the shape of the metrics
the HTTP edge reports to, and the candidate index timed per backend. Nothing here needs
prometheus-client; ``prometheus_metrics`` (the ``[metrics]`` extra) implements it."""

import time
from collections.abc import Sequence
from typing import Protocol

from itmj_domain.ports import CandidateIndex, IndexedCandidate, ParsedQuery, SearchFilters
from itmj_domain.ports.search import SearchHits


class ServedMetrics(Protocol):
    """The metrics of a serving process: the edge reports to them and serves their page."""

    def request_answered(self, route: str, method: str, status: int, seconds: float) -> None:
        ...

    def request_limited(self, policy: str) -> None: ...

    def page(self) -> tuple[bytes, str]:
        """The text exposition format, and its content type."""
        ...


class SearchTimer(Protocol):
    def searched(self, backend: str, seconds: float) -> None: ...


class MeasuredIndex:
    """A candidate index whose searches are counted and timed under ``backend``."""

    def __init__(self, inner: CandidateIndex, backend: str, timer: SearchTimer) -> None:
        self.inner = inner
        self._backend = backend
        self._timer = timer

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        self.inner.upsert(candidates)

    def remove(self, candidate_ids: Sequence[int]) -> None:
        self.inner.remove(candidate_ids)

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        started = time.perf_counter()
        hits = self.inner.search(query, filters, offset, limit)
        self._timer.searched(self._backend, time.perf_counter() - started)
        return hits
