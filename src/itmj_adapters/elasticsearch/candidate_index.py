"""``CandidateIndex`` on Elasticsearch: one index shared by every process.

The index lives behind an alias: ``candidates`` names ``candidates-<n>``, and every read and
write goes through the alias. ``rebuilt`` fills a new ``candidates-<n+1>`` and then moves the
alias onto it in one atomic step, so a mapping change rolls out while searches go on; the old
index is deleted after. An index made before aliases, named ``candidates`` itself, is used as
it is until the first rebuild replaces it in that same atomic step.

Writes go through the bulk helper and do not wait for a refresh (``refresh=False``): the
cluster makes them searchable within its refresh interval (one second by default), as it
does for any client, so a bulk import does not stall on a refresh per batch. A new index
being filled by ``rebuilt`` is not refreshed at all until it is complete.

A query the cluster refuses as too costly becomes the domain's ``QueryTooExpensive``, whatever
the status it came with (a cluster before 8.16 answers too many clauses with a 500): a regular
expression too complex to determinize, more clauses than the cluster allows once fuzzy terms
are expanded, or an expensive kind of query on a cluster set to refuse them. Any other query
the cluster cannot parse becomes ``InvalidQuery``; the domain parses every query first, so that
only guards against the two parsers disagreeing.

The index is created with its mapping on first use, not when the services are built: a
cluster that cannot be reached fails only what touches the index, as ``SearchUnavailable``
(a search is answered 503 ``search_unavailable``, uncharged), and creating it is tried again
on the next use.
"""

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from elastic_transport import TransportError

from elasticsearch import ApiError, BadRequestError, Elasticsearch, helpers
from itmj_adapters.elasticsearch.mapping import index_mappings, index_settings
from itmj_adapters.elasticsearch.requests import delete_actions, search_body, upsert_actions
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters, SearchHits
from itmj_domain.search import InvalidQuery, QueryTooExpensive, SearchUnavailable

DEFAULT_INDEX = "candidates"
_GENERATION = re.compile(r"-(\d+)$")
_PARSE_ERRORS = frozenset({"query_shard_exception", "parse_exception"})
_COLUMN = re.compile(r"column (\d+)")
_TOO_MANY_CLAUSES = (
    "it stands for more terms than the search cluster allows once its fuzzy, wildcard and "
    "regular-expression terms are expanded; make them more specific"
)
# Error types (anywhere in the chain of causes) that say the query costs too much, and why.
_TOO_EXPENSIVE = {
    "too_complex_to_determinize_exception": (
        "a regular expression too complex for the search cluster to run; simplify it"
    ),
    "too_many_clauses": _TOO_MANY_CLAUSES,
    "too_many_nested_clauses": _TOO_MANY_CLAUSES,
}
# A reason naming this setting: the cluster refuses wildcard, regular-expression, fuzzy,
# prefix and range queries on text.
_EXPENSIVE_QUERIES_OFF = "search.allow_expensive_queries"
_REFUSED_KINDS = (
    "the search cluster does not run wildcard, fuzzy, regular-expression, prefix or range "
    "terms at the moment; search with words and phrases"
)


class ElasticsearchCandidateIndex:
    def __init__(
        self,
        client_or_url: Elasticsearch | str,
        index_name: str = DEFAULT_INDEX,
        refresh: bool | str = False,
    ) -> None:
        self._client = (
            Elasticsearch(client_or_url) if isinstance(client_or_url, str) else client_or_url
        )
        # The alias: what every read and write names.
        self.index_name = index_name
        self._refresh = refresh
        self._ensured = False
        self._ensuring = threading.Lock()
        # While ``rebuilt`` fills a new index, this process's writes go to it.
        self._filling: str | None = None

    def ensure_index(self) -> None:
        """Create the index with its mapping unless it exists; ``SearchUnavailable`` if the
        cluster cannot be reached."""
        with _reachable():
            self._ensure_index()
        self._ensured = True

    def _ready(self) -> None:
        # Before any write or search: a write would otherwise create the index with guessed
        # types. Once it exists, no more round trips.
        if not self._ensured:
            with self._ensuring:
                if not self._ensured:
                    self.ensure_index()

    def _ensure_index(self) -> None:
        # True for the alias, and for an index of that name made before aliases.
        if self._client.indices.exists(index=self.index_name):
            return
        self._create(f"{self.index_name}-1", settings=index_settings(),
                     aliases={self.index_name: {}})

    def _create(self, name: str, settings: dict, aliases: dict | None = None) -> bool:
        """Create ``name`` with its mapping; False when it exists already (another process
        made it first, with the same mapping)."""
        try:
            self._client.indices.create(
                index=name, settings=settings, mappings=index_mappings(), aliases=aliases
            )
        except BadRequestError as error:
            if _error_types(error.body) != {"resource_already_exists_exception"}:
                raise
            return False
        return True

    def rebuilt(self, fill: Callable[[], int]) -> int:
        """Run ``fill`` (which writes every candidate through this adapter) into a new index,
        then move the alias onto it atomically and delete what it named before; returns what
        ``fill`` returns. Searches see the old index until the move. Changes other processes
        write meanwhile go to the old index, and reach the new one only through a write
        after the move: run a rebuild when no import is running."""
        self._ready()
        with _reachable():
            current = self._current_indices()
            name = f"{self.index_name}-{_next_generation(current)}"
            # Filled without refreshes, as a bulk load should be; refreshed once at the end.
            if not self._create(name, settings={**index_settings(), "refresh_interval": "-1"}):
                raise RuntimeError(
                    f"{name} exists already: another rebuild is running, or one stopped "
                    "before it finished (then delete that index)"
                )
        self._filling = name
        try:
            count = fill()
        except BaseException:
            self._filling = None
            with _reachable():
                self._client.indices.delete(index=name, ignore_unavailable=True)
            raise
        self._filling = None
        with _reachable():
            self._client.indices.put_settings(index=name, settings={"refresh_interval": None})
            self._client.indices.refresh(index=name)
            self._client.indices.update_aliases(actions=[
                {"add": {"index": name, "alias": self.index_name}},
                *_detach(self.index_name, current),
            ])
            for old in current:
                if old != self.index_name:
                    self._client.indices.delete(index=old, ignore_unavailable=True)
        return count

    def _current_indices(self) -> list[str]:
        """The indices the alias names, or the pre-alias index of the alias's name."""
        if self._client.indices.exists_alias(name=self.index_name):
            return sorted(self._client.indices.get_alias(name=self.index_name).body)
        return [self.index_name]

    @property
    def _target(self) -> str:
        return self._filling or self.index_name

    def upsert(self, candidates: Sequence[IndexedCandidate]) -> None:
        if candidates:
            self._ready()
            with _reachable():
                helpers.bulk(
                    self._client, upsert_actions(self._target, candidates),
                    refresh=self._refresh,
                )

    def remove(self, candidate_ids: Sequence[int]) -> None:
        if candidate_ids:
            self._ready()
            with _reachable():
                helpers.bulk(
                    self._client,
                    delete_actions(self._target, candidate_ids),
                    refresh=self._refresh,
                    ignore_status=(404,),
                )

    def search(
        self, query: ParsedQuery, filters: SearchFilters, offset: int, limit: int
    ) -> SearchHits:
        self._ready()
        try:
            with _reachable():
                response = self._client.search(
                    index=self.index_name, **search_body(query, filters, offset, limit)
                )
        except ApiError as error:
            too_expensive = _too_expensive(error.body)
            if too_expensive is not None:
                raise too_expensive from error
            if isinstance(error, BadRequestError) and _error_types(error.body) & _PARSE_ERRORS:
                raise _invalid_query(error.body) from error
            raise
        hits = response["hits"]
        return SearchHits(hits["total"]["value"], [int(hit["_id"]) for hit in hits["hits"]])

    def close(self) -> None:
        self._client.close()


def _next_generation(current: Sequence[str]) -> int:
    numbers = [int(found.group(1)) for name in current if (found := _GENERATION.search(name))]
    return max(numbers, default=1) + 1


def _detach(alias: str, current: Sequence[str]) -> list[dict]:
    """The alias actions that let go of the current indices: the alias is removed from each,
    and a pre-alias index of the alias's own name is removed itself, or the alias could not
    take its name."""
    return [
        {"remove_index": {"index": name}} if name == alias
        else {"remove": {"index": name, "alias": alias}}
        for name in current
    ]


@contextmanager
def _reachable() -> Iterator[None]:
    """The client's transport failures (refused, timed out, TLS) as the domain's error."""
    try:
        yield
    except TransportError as error:
        raise SearchUnavailable(
            "the search backend is unavailable; nothing was charged, retry later"
        ) from error


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


def _too_expensive(body: object) -> QueryTooExpensive | None:
    for error in _causes(body):
        reason = _TOO_EXPENSIVE.get(str(error.get("type")))
        if reason is not None:
            return QueryTooExpensive(reason)
        if _EXPENSIVE_QUERIES_OFF in str(error.get("reason", "")):
            return QueryTooExpensive(_REFUSED_KINDS)
    return None


def _invalid_query(body: object) -> InvalidQuery:
    reasons = [str(error.get("reason", "")) for error in _causes(body)]
    detail = next((reason for reason in reasons if _COLUMN.search(reason)), reasons[-1])
    column = _COLUMN.search(detail)
    return InvalidQuery(
        f"Invalid query: {detail}", int(column.group(1)) if column is not None else 0
    )
