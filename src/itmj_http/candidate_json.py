"""The JSON shapes of the CV Search API (SPEC §6), in both directions.

A search row is masked: the tuple of its fields is the whole of what it can say, and holds no
contact detail. Only the full profile, paid for by an unlock, carries email and phone.
"""

import attrs
import cattrs

from itmj_domain.pagination import MAX_PAGE_SIZE, PageRequest
from itmj_domain.services.cv_search import (
    DEFAULT_SEARCH_PAGE_SIZE,
    CandidateView,
    MaskedCandidate,
    SearchRequest,
    SearchResult,
)
from itmj_http.json_converter import InvalidJson, structure

SEARCH_BODY_FIELDS = (
    "query", "preferredCountryIds", "activeWithinDays", "pageNumber", "pageSize",
)
SEARCH_ITEM_FIELDS = (
    "id", "fullName", "headline", "skills", "city", "countryId", "lastActiveAt", "isUnlocked",
)
PROFILE_FIELDS = (
    "id", "fullName", "email", "phone", "headline", "summary", "skills", "city", "countryId",
    "preferredCountryIds", "lastActiveAt", "unlockedUntil",
)


@attrs.frozen
class SearchBody:
    query: str
    preferred_country_ids: list[int] | None = None
    active_within_days: int | None = None
    page_number: int = 1
    page_size: int = DEFAULT_SEARCH_PAGE_SIZE


@attrs.frozen
class CandidateJson:
    converter: cattrs.Converter

    def search_request(self, data: object) -> SearchRequest:
        body = structure(self.converter, data, SearchBody)
        if body.page_number < 1:
            raise InvalidJson("pageNumber: expected an integer of 1 or more", "pageNumber")
        if not 1 <= body.page_size <= MAX_PAGE_SIZE:
            raise InvalidJson(
                f"pageSize: expected an integer between 1 and {MAX_PAGE_SIZE}", "pageSize"
            )
        return SearchRequest(
            query=body.query,
            preferred_country_ids=frozenset(body.preferred_country_ids or ()),
            active_within_days=body.active_within_days,
            page=PageRequest(body.page_number, body.page_size),
        )

    def search_result(self, result: SearchResult) -> dict[str, object]:
        return {
            "total": result.total,
            "pageNumber": result.page.page,
            "pageSize": result.page.page_size,
            "items": [self._row(item) for item in result.items],
        }

    def profile(self, view: CandidateView) -> dict[str, object]:
        candidate = view.candidate
        return {
            "id": candidate.id,
            "fullName": candidate.full_name,
            "email": candidate.email,
            "phone": candidate.phone,
            "headline": candidate.headline,
            "summary": candidate.summary,
            "skills": list(candidate.skills),
            "city": candidate.city,
            "countryId": candidate.country_id,
            "preferredCountryIds": sorted(candidate.preferred_country_ids),
            "lastActiveAt": self.converter.unstructure(candidate.last_active_at),
            "unlockedUntil": self.converter.unstructure(view.unlocked_until),
        }

    def _row(self, item: MaskedCandidate) -> dict[str, object]:
        return {
            "id": item.id,
            "fullName": item.masked_name,
            "headline": item.headline,
            "skills": list(item.skills),
            "city": item.city,
            "countryId": item.country_id,
            "lastActiveAt": self.converter.unstructure(item.last_active_at),
            "isUnlocked": item.is_unlocked,
        }
