"""CV search and CV download (SPEC §6), paid per use, with per-employer unlock windows.

A search is run before it is paid for, and paid for in one transaction with reading what it
returns: a malformed query, an empty balance or a failure leaves nothing charged. Opening an
unlock window and paying for it are one transaction too, and only one of two concurrent
first views opens (and pays for) the window.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from itmj_domain.candidates import Candidate
from itmj_domain.clock import Clock
from itmj_domain.countries import MAX_COUNTRY_ID, MIN_COUNTRY_ID
from itmj_domain.credits import Charge, CreditKind, EntryReason
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.pagination import PageRequest
from itmj_domain.ports import (
    NO_METRICS,
    CandidateIndex,
    Metrics,
    ParsedQuery,
    SearchFilters,
    UnitOfWorkFactory,
)
from itmj_domain.search import parse_query
from itmj_domain.services.credits import charge, free_use
from itmj_domain.services.idempotency import Idempotent, claim, complete
from itmj_domain.unlocks import Unlock, mask_name

MAX_ACTIVE_WITHIN_DAYS = 36_500
MAX_COUNTRY_FILTERS = 300
DEFAULT_SEARCH_PAGE_SIZE = 20
# How deep a search pages, as Elasticsearch's default result window, so that every backend
# answers the same pages.
MAX_SEARCH_WINDOW = 10_000


@attrs.frozen
class SearchRequest:
    query: str
    preferred_country_ids: frozenset[int] = frozenset()
    active_within_days: int | None = None
    page: PageRequest = attrs.field(factory=lambda: PageRequest(1, DEFAULT_SEARCH_PAGE_SIZE))

    def __attrs_post_init__(self) -> None:
        if len(self.preferred_country_ids) > MAX_COUNTRY_FILTERS:
            raise InvalidInput(
                f"preferred_country_ids holds at most {MAX_COUNTRY_FILTERS} ids",
                field="preferred_country_ids",
            )
        outside = sorted(
            i for i in self.preferred_country_ids if not MIN_COUNTRY_ID <= i <= MAX_COUNTRY_ID
        )
        if outside:
            raise InvalidInput(
                f"preferred_country_ids: {outside[0]} is not an ISO 3166-1 numeric code "
                f"({MIN_COUNTRY_ID} to {MAX_COUNTRY_ID})",
                field="preferred_country_ids",
            )
        if self.page.offset + self.page.page_size > MAX_SEARCH_WINDOW:
            raise InvalidInput(
                f"page_number times page_size must be at most {MAX_SEARCH_WINDOW:,}: deeper "
                "results are not served, narrow the query instead",
                field="page_number",
            )
        if self.active_within_days is not None and not (
            1 <= self.active_within_days <= MAX_ACTIVE_WITHIN_DAYS
        ):
            raise InvalidInput(
                f"active_within_days must be between 1 and {MAX_ACTIVE_WITHIN_DAYS}",
                field="active_within_days",
            )


@attrs.frozen
class MaskedCandidate:
    """A search row: no contact detail, the name reduced to initials."""

    id: int
    masked_name: str
    headline: str
    skills: tuple[str, ...]
    city: str | None
    country_id: int | None
    last_active_at: datetime
    is_unlocked: bool


@attrs.frozen
class SearchResult:
    total: int
    page: PageRequest
    items: Sequence[MaskedCandidate]
    charge: Charge


@attrs.frozen
class CandidateView:
    candidate: Candidate
    unlocked_until: datetime
    # Nothing charged within an unlock window.
    charge: Charge


@attrs.frozen
class CvSearch:
    uow: UnitOfWorkFactory
    clock: Clock
    index: CandidateIndex
    metrics: Metrics = NO_METRICS

    def search(
        self, employer_id: int, request: SearchRequest,
        once: Idempotent[SearchResult] | None = None,
    ) -> SearchResult:
        query = ParsedQuery(request.query, parse_query(request.query))
        now = self.clock.now()
        active_since = (
            None
            if request.active_within_days is None
            else now - timedelta(days=request.active_within_days)
        )
        hits = self.index.search(
            query,
            SearchFilters(request.preferred_country_ids, active_since),
            request.page.offset,
            request.page.page_size,
        )
        with self.uow() as uow:
            claim(uow, once, now)
            found = {cid: uow.candidates.get(cid) for cid in hits.candidate_ids}
            unlocks = uow.unlocks.latest(employer_id, list(hits.candidate_ids))
            paid = charge(uow, employer_id, CreditKind.CV_SEARCH, EntryReason.CV_SEARCH,
                          f"search:{uuid.uuid4().hex}", now, self.metrics)
            items = [
                _masked(candidate, unlocks.get(candidate.id), now)
                for candidate in (found[cid] for cid in hits.candidate_ids)
                if candidate is not None and not candidate.hidden
            ]
            result = SearchResult(hits.total, request.page, items, paid)
            complete(uow, once, result)
            uow.commit()
        self.metrics.credits_debited(paid.kind, paid.charged)
        return result

    def view(self, employer_id: int, candidate_id: int) -> CandidateView:
        """The full profile; the first view in a 30-day window costs one CvDownload."""
        now = self.clock.now()
        with self.uow() as uow:
            candidate = uow.candidates.get(candidate_id)
            if candidate is None or candidate.hidden:
                raise NotFound(f"candidate {candidate_id} not found")
            window, opened = uow.unlocks.open_window(Unlock(employer_id, candidate_id, now))
            if opened:
                paid = charge(uow, employer_id, CreditKind.CV_DOWNLOAD, EntryReason.CV_DOWNLOAD,
                              f"candidate:{candidate_id}", now, self.metrics)
            else:
                paid = free_use(uow, employer_id, CreditKind.CV_DOWNLOAD, now)
            uow.commit()
        if opened:
            self.metrics.credits_debited(paid.kind, paid.charged)
            self.metrics.candidate_unlocked()
        return CandidateView(candidate, window.until, paid)


def _masked(candidate: Candidate, unlock: Unlock | None, now: datetime) -> MaskedCandidate:
    return MaskedCandidate(
        id=candidate.id,
        masked_name=mask_name(candidate.full_name),
        headline=candidate.headline,
        skills=candidate.skills,
        city=candidate.city,
        country_id=candidate.country_id,
        last_active_at=candidate.last_active_at,
        is_unlocked=unlock is not None and unlock.is_active(now),
    )
