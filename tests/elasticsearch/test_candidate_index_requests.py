"""What ElasticsearchCandidateIndex sends, byte for byte as the client puts it on the wire,
and how it reads the answers, against a recording fake cluster (tests/elasticsearch/
fake_cluster.py). The live behaviour is in the contract suite (tests/contract)."""

from datetime import UTC, datetime

import pytest

from elasticsearch import BadRequestError
from elasticsearch import ConnectionError as Unreachable
from itmj_adapters.elasticsearch.candidate_index import ElasticsearchCandidateIndex
from itmj_adapters.elasticsearch.health import ElasticsearchProbe
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters
from itmj_domain.search import InvalidQuery, SearchDocument, parse_query
from tests.elasticsearch.fake_cluster import FakeCluster

TWO_HITS = {
    "hits": {"total": {"value": 42, "relation": "eq"}, "hits": [{"_id": "7"}, {"_id": "3"}]}
}
BULK_OK = {"errors": False, "items": [{"index": {"_id": "1", "status": 201}}]}


@pytest.fixture
def cluster() -> FakeCluster:
    return FakeCluster()


@pytest.fixture
def index(cluster: FakeCluster) -> ElasticsearchCandidateIndex:
    """An index past its first use: the cluster holds it, and the requests start empty."""
    cluster.answer("HEAD", "/candidates", lambda body: (200, None))
    made = ElasticsearchCandidateIndex(cluster.client(), "candidates")
    made.ensure_index()
    cluster.requests.clear()
    return made


def test_the_index_is_made_on_first_use_and_again_after_the_cluster_was_down(cluster):
    from itmj_domain.search import SearchUnavailable

    created = []
    cluster.answer("HEAD", "/candidates", lambda body: (200 if created else 404, None))
    cluster.answer("PUT", "/candidates-1",
                   lambda body: (created.append(body) or 200, {"acknowledged": True}))
    cluster.answer("POST", "/candidates/_search",
                   lambda body: (200, {"hits": {"total": {"value": 0}, "hits": []}}))
    index = ElasticsearchCandidateIndex(cluster.client(), "candidates")
    assert cluster.requests == []
    cluster.down = True
    with pytest.raises(SearchUnavailable):
        index.search(query("aws"), SearchFilters(), 0, 20)
    cluster.down = False
    assert index.search(query("aws"), SearchFilters(), 0, 20).total == 0
    assert index.search(query("aws"), SearchFilters(), 0, 20).total == 0
    assert len(created) == 1
    assert [method for method, _, _ in cluster.requests] == ["HEAD", "PUT", "POST", "POST"]


def query(text: str) -> ParsedQuery:
    return ParsedQuery(text, parse_query(text))


def expected_search(text: str, offset: int = 0, size: int = 20, filters=None) -> dict:
    boolean = {
        "must": [
            {
                "query_string": {
                    "query": text,
                    "default_field": "all_text",
                    "default_operator": "OR",
                    "allow_leading_wildcard": True,
                    "fuzziness": "AUTO",
                    "fuzzy_max_expansions": 10000,
                }
            }
        ]
    }
    if filters:
        boolean["filter"] = filters
    return {
        "query": {"bool": boolean},
        "from": offset,
        "size": size,
        "track_total_hits": True,
        "sort": [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}],
        "_source": False,
    }


@pytest.mark.parametrize(
    "text",
    [
        '"Process Engineer" AND "HVAC"',
        '(("High" OR "Low") AND "voltage") AND "Engineers" AND "Dubai"',
        "kubernetes AND (aws OR gcp) AND NOT junior",
    ],
)
def test_a_spec_example_is_sent_as_a_query_string_on_the_combined_field(cluster, index, text):
    cluster.answer("POST", "/candidates/_search", lambda body: (200, TWO_HITS))

    hits = index.search(query(text), SearchFilters(), 0, 20)

    assert cluster.requests == [("POST", "/candidates/_search", expected_search(text))]
    assert (hits.total, list(hits.candidate_ids)) == (42, [7, 3])


def test_filters_are_bool_filters_and_the_page_is_from_and_size(cluster, index):
    cluster.answer("POST", "/candidates/_search", lambda body: (200, TWO_HITS))
    filters = SearchFilters(frozenset({826, 784}), datetime(2026, 2, 1, 8, 30, tzinfo=UTC))

    index.search(query("kubernetes"), filters, 40, 20)

    assert cluster.requests[0][2] == expected_search(
        "kubernetes",
        offset=40,
        filters=[
            {"terms": {"preferred_country_ids": [784, 826]}},
            {"range": {"last_active_at": {"gte": "2026-02-01T08:30:00+00:00"}}},
        ],
    )


def test_ensure_index_creates_the_first_index_with_its_mapping_behind_the_alias_once(
    cluster, index
):
    created = []
    cluster.answer("HEAD", "/candidates", lambda body: (200 if created else 404, None))
    cluster.answer(
        "PUT", "/candidates-1", lambda body: (created.append(body) or 200, {"acknowledged": True})
    )

    index.ensure_index()
    index.ensure_index()

    text = {"type": "text", "analyzer": "standard", "position_increment_gap": 1_000_000}
    field = {**text, "copy_to": "all_text"}
    assert created == [
        {
            "settings": {"number_of_shards": 1},
            "aliases": {"candidates": {}},
            "mappings": {
                "dynamic": "strict",
                "properties": {
                    "headline": field,
                    "summary": field,
                    "skills": field,
                    "city": field,
                    "country": field,
                    "all_text": text,
                    "id": {"type": "long", "index": False, "doc_values": True},
                    "preferred_country_ids": {
                        "type": "integer",
                        "index": False,
                        "doc_values": True,
                    },
                    "last_active_at": {"type": "date_nanos", "index": False, "doc_values": True},
                },
            },
        }
    ]


def test_an_index_created_meanwhile_by_another_process_is_fine(cluster, index):
    cluster.answer("HEAD", "/candidates", lambda body: (404, None))
    cluster.answer(
        "PUT",
        "/candidates-1",
        lambda body: (
            400,
            {
                "error": {
                    "root_cause": [{"type": "resource_already_exists_exception"}],
                    "type": "resource_already_exists_exception",
                },
                "status": 400,
            },
        ),
    )

    index.ensure_index()


def test_upsert_indexes_in_bulk_through_the_alias_without_waiting_for_a_refresh(
    cluster, index
):
    cluster.answer("PUT", "/_bulk", lambda body: (200, BULK_OK))
    document = SearchDocument(
        headline="HVAC Engineer", summary=None, skills=("HVAC", "AutoCAD"), city="", country="Oman"
    )
    active = datetime(2026, 1, 5, 10, 0, 0, 123456, tzinfo=UTC)

    index.upsert([IndexedCandidate(9, document, frozenset({784, 48}), active)])

    assert cluster.requests == [
        (
            "PUT",
            "/_bulk?refresh=false",
            [
                {"index": {"_index": "candidates", "_id": "9"}},
                {
                    "id": 9,
                    "preferred_country_ids": [48, 784],
                    "last_active_at": "2026-01-05T10:00:00.123456+00:00",
                    "headline": "HVAC Engineer",
                    "skills": ["HVAC", "AutoCAD"],
                    "city": "",
                    "country": "Oman",
                },
            ],
        )
    ]


def test_remove_deletes_in_bulk_and_ignores_unknown_ids(cluster, index):
    cluster.answer(
        "PUT",
        "/_bulk",
        lambda body: (
            200,
            {
                "errors": True,
                "items": [
                    {"delete": {"_id": "1", "status": 200, "result": "deleted"}},
                    {"delete": {"_id": "2", "status": 404, "result": "not_found"}},
                ],
            },
        ),
    )

    index.remove([1, 2])

    assert cluster.requests[0][1:] == (
        "/_bulk?refresh=false",
        [
            {"delete": {"_index": "candidates", "_id": "1"}},
            {"delete": {"_index": "candidates", "_id": "2"}},
        ],
    )


def test_nothing_to_write_sends_nothing(cluster, index):
    index.upsert([])
    index.remove([])

    assert cluster.requests == []


def parse_failure(reason: str) -> dict:
    return {
        "error": {
            "root_cause": [{"type": "query_shard_exception", "reason": "Failed to parse query"}],
            "type": "search_phase_execution_exception",
            "reason": "all shards failed",
            "phase": "query",
            "failed_shards": [
                {
                    "shard": 0,
                    "index": "candidates",
                    "reason": {
                        "type": "query_shard_exception",
                        "reason": "Failed to parse query",
                        "caused_by": {"type": "parse_exception", "reason": reason},
                    },
                }
            ],
        },
        "status": 400,
    }


def test_a_query_the_cluster_cannot_parse_is_an_invalid_query(cluster, index):
    reason = "Cannot parse 'a AND': Encountered \"<EOF>\" at line 1, column 5."
    cluster.answer("POST", "/candidates/_search", lambda body: (400, parse_failure(reason)))

    with pytest.raises(InvalidQuery) as raised:
        index.search(query("a"), SearchFilters(), 0, 20)

    assert raised.value.position == 5
    assert "Encountered" in str(raised.value)


def test_other_bad_requests_are_not_blamed_on_the_query(cluster, index):
    failure = {"error": {"type": "illegal_argument_exception", "reason": "Result window"}}
    cluster.answer("POST", "/candidates/_search", lambda body: (400, {**failure, "status": 400}))

    with pytest.raises(BadRequestError):
        index.search(query("a"), SearchFilters(), 20_000, 20)


def test_the_probe_asks_the_cluster_who_it_is(cluster):
    cluster.answer("GET", "/", lambda body: (200, {"version": {"number": "8.15.0"}}))
    probe = ElasticsearchProbe(cluster.client())

    probe.check()

    assert probe.name == "search"
    assert cluster.requests == [("GET", "/", None)]


def test_the_probe_fails_when_the_cluster_does_not_answer(cluster):
    probe = ElasticsearchProbe(cluster.client())
    cluster.down = True

    with pytest.raises(Unreachable):
        probe.check()
