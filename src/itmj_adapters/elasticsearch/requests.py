"""What the adapter sends: documents, bulk actions and search bodies, as plain data.

``search_body`` asks Elasticsearch's ``query_string`` for exactly what the domain's parser
implements: the combined default field, OR between terms, leading wildcards allowed, ``AUTO``
fuzziness. Fuzzy terms are given room to expand to every matching term (Elasticsearch keeps
50 by default; the in-memory index keeps all); the cluster caps this at its clause limit.
"""

from collections.abc import Iterable, Sequence

from itmj_adapters.elasticsearch.mapping import DEFAULT_FIELD
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters
from itmj_domain.search import SearchField

FUZZY_MAX_EXPANSIONS = 10_000


def document(candidate: IndexedCandidate) -> dict:
    """The indexed source of a candidate; a field without a value is left out."""
    searchable = candidate.document
    source: dict = {
        "id": candidate.id,
        "preferred_country_ids": sorted(candidate.preferred_country_ids),
        "last_active_at": candidate.last_active_at.isoformat(),
    }
    for field in SearchField:
        values = searchable.values(field)
        if not values:
            continue
        source[field.value] = list(values) if field is SearchField.SKILLS else values[0]
    return source


def upsert_actions(index: str, candidates: Sequence[IndexedCandidate]) -> Iterable[dict]:
    for candidate in candidates:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": str(candidate.id),
            "_source": document(candidate),
        }


def delete_actions(index: str, candidate_ids: Sequence[int]) -> Iterable[dict]:
    for candidate_id in candidate_ids:
        yield {"_op_type": "delete", "_index": index, "_id": str(candidate_id)}


def query_string(text: str) -> dict:
    return {
        "query_string": {
            "query": text,
            "default_field": DEFAULT_FIELD,
            "default_operator": "OR",
            "allow_leading_wildcard": True,
            "fuzziness": "AUTO",
            "fuzzy_max_expansions": FUZZY_MAX_EXPANSIONS,
        }
    }


def filter_clauses(filters: SearchFilters) -> list[dict]:
    clauses: list[dict] = []
    if filters.preferred_country_ids:
        clauses.append({"terms": {"preferred_country_ids": sorted(filters.preferred_country_ids)}})
    if filters.active_since is not None:
        clauses.append({"range": {"last_active_at": {"gte": filters.active_since.isoformat()}}})
    return clauses


def search_body(query: ParsedQuery, filters: SearchFilters, offset: int, limit: int) -> dict:
    """The keyword arguments of ``Elasticsearch.search`` for one page of a search."""
    boolean: dict = {"must": [query_string(query.text)]}
    clauses = filter_clauses(filters)
    if clauses:
        boolean["filter"] = clauses
    return {
        "query": {"bool": boolean},
        "from_": offset,
        "size": limit,
        "track_total_hits": True,
        "sort": [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}],
        "source": False,
    }
