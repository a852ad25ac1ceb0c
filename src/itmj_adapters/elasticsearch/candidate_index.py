"""``CandidateIndex`` on Elasticsearch: one index shared by every process.

Writes go through the bulk helper and, by default, wait until a search can see them
(``refresh="wait_for"``), so a search right after an import finds what it imported. A query
the cluster cannot parse becomes the domain's ``InvalidQuery``; the domain parses every query
first, so this only guards against the two parsers disagreeing.
"""

import re
from collections.abc import Sequence

from elasticsearch import BadRequestError, Elasticsearch, helpers
from itmj_adapters.elasticsearch.mapping import index_mappings, index_settings
from itmj_adapters.elasticsearch.requests import delete_actions, search_body, upsert_actions
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters, SearchHits
from itmj_domain.search import InvalidQuery

DEFAULT_INDEX = "candidates"
_PARSE_ERRORS = frozenset({"query_shard_exception", "parse_exception"})
_COLUMN = re.compile(r"column (\d+)")


class ElasticsearchCandidateIndex:
    def __init__(
        self,
        client_or_url: Elasticsearch | str,
        index_name: str = DEFAULT_INDEX,
        refresh: bool | str = "wait_for",
    ) -> None:
        self._client = (
            Elasticsearch(client_or_url) if isinstance(client_or_url, str) else client_or_url
        )
        self.index_name = index_name
        self._refresh = refresh

    def ensure_index(self) -> None:
        """Create the index with its mapping unless it exists."""
        if self._client.indices.exists(index=self.index_name):
            return
        try:
            self._client.indices.create(
                index=self.index_name, settings=index_settings(), mappings=index_mappings()
            )
        except BadRequestError as error:
            if _error_types(error.body) != {"resource_already_exists_exception"}:
                raise

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        if candidates:
            helpers.bulk(
                self._client, upsert_actions(self.index_name, candidates), refresh=self._refresh
            )

    def remove(self, candidate_ids: Sequence[int]) -> None:
        if candidate_ids:
            helpers.bulk(
                self._client,
                delete_actions(self.index_name, candidate_ids),
                refresh=self._refresh,
                ignore_status=(404,),
            )

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        try:
            response = self._client.search(
                index=self.index_name, **search_body(query, filters, offset, limit)
            )
        except BadRequestError as error:
            if _error_types(error.body) & _PARSE_ERRORS:
                raise _invalid_query(error.body) from error
            raise
        hits = response["hits"]
        return SearchHits(hits["total"]["value"], [int(hit["_id"]) for hit in hits["hits"]])

    def close(self) -> None:
        self._client.close()


def _causes(body: object) -> list[dict]:
    """Every error object in an Elasticsearch error body: the error, its root causes, what
    caused it, and the failures of its shards, recursively."""
    found: list[dict] = []
    pending = [body.get("error")] if isinstance(body, dict) else []
    while pending:
        error = pending.pop()
        if not isinstance(error, dict):
            continue
        found.append(error)
        pending.extend(error.get("root_cause") or [])
        pending.append(error.get("caused_by"))
        pending.extend(failure.get("reason") for failure in error.get("failed_shards") or [])
    return found


def _error_types(body: object) -> set[str]:
    return {str(error.get("type")) for error in _causes(body)}


def _invalid_query(body: object) -> InvalidQuery:
    reasons = [str(error.get("reason", "")) for error in _causes(body)]
    detail = next((reason for reason in reasons if _COLUMN.search(reason)), reasons[-1])
    column = _COLUMN.search(detail)
    return InvalidQuery(
        f"Invalid query: {detail}", int(column.group(1)) if column is not None else 0
    )
