"""The candidate search index in this process's memory (``itmj_adapters.search``).

It answers exactly as the query language's reference evaluator (and so Elasticsearch) does,
ranks by BM25 with ties by id, and counts every match. Bitsets are indexed by candidate id,
so memory grows with the largest id, which suits the serial ids candidates get. Matching and
ranking a search share one work budget (``itmj_adapters.search.work``): a query that would
overrun it is refused as too expensive.
"""

from collections.abc import Sequence

from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.matcher import Matcher
from itmj_adapters.search.ranking import rank
from itmj_adapters.search.read_write_lock import ReadWriteLock
from itmj_adapters.search.scoring import Scorer
from itmj_adapters.search.work import WORK_BUDGET
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters, SearchHits
from itmj_domain.search.budget import WorkBudget


class MemoryCandidateIndex:
    def __init__(self) -> None:
        self._index = InvertedIndex()
        self._lock = ReadWriteLock()

    def __len__(self) -> int:
        return self._index.count

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        with self._lock.writing():
            self._index.replace(candidates)

    def remove(self, candidate_ids: Sequence[int]) -> None:
        with self._lock.writing():
            self._index.remove(candidate_ids)

    def settle(self) -> None:
        """Before processes are forked from this one: see ``InvertedIndex.settle``."""
        with self._lock.reading():
            self._index.settle()

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        with self._lock.reading():
            index = self._index
            budget = WorkBudget(WORK_BUDGET)
            allowed = index.filtered(filters)
            matched = Matcher(index, budget).match(query.tree, allowed)
            total = matched.bits.bit_count()
            if offset >= total or limit <= 0:
                return SearchHits(total, [])
            components = Scorer(index).components(matched, matched.bits)
            return SearchHits(total, rank(matched.bits, components, offset, limit, budget))
