"""Search: the candidate index and the values it takes and returns."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import attrs

from itmj_domain.candidates import Candidate
from itmj_domain.search import SearchDocument
from itmj_domain.search.tree import Query


@attrs.frozen
class ParsedQuery:
    """A query as the partner wrote it and as the domain parsed it (so it is known valid): an
    index speaking ``query_string`` sends the text, one that evaluates walks the tree."""

    text: str
    tree: Query


@attrs.frozen
class SearchFilters:
    """Narrowing applied besides the query: wanted countries, recent activity."""

    preferred_country_ids: frozenset[int] = frozenset()
    active_since: datetime | None = None


@attrs.frozen
class IndexedCandidate:
    """What the search index holds of one visible candidate."""

    id: int
    document: SearchDocument
    preferred_country_ids: frozenset[int]
    last_active_at: datetime


def indexed(candidate: Candidate, country_name: str | None) -> IndexedCandidate:
    """What the index holds of ``candidate``, whose country is called ``country_name``."""
    return IndexedCandidate(
        id=candidate.id,
        document=SearchDocument(
            headline=candidate.headline,
            summary=candidate.summary,
            skills=candidate.skills,
            city=candidate.city,
            country=country_name,
        ),
        preferred_country_ids=candidate.preferred_country_ids,
        last_active_at=candidate.last_active_at,
    )


@attrs.frozen
class SearchHits:
    total: int
    candidate_ids: Sequence[int]


class CandidateIndex(Protocol):
    """Full-text search over candidates. Every adapter returns the same set of matches for
    the same query and data; order is by relevance (BM25), ties by id."""

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None: ...
    def remove(self, candidate_ids: Sequence[int]) -> None: ...
    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits: ...
