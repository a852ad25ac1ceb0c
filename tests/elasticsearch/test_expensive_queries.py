"""A query the cluster refuses as too costly is the domain's QueryTooExpensive (400
``invalid_query``, nothing charged) whatever status the cluster gave it, never a 5xx. The error
bodies are in ``error_bodies/`` (its README says where their shape comes from); the official
client reads them from a fake cluster (tests/elasticsearch/fake_cluster.py)."""

import json
from pathlib import Path

import attrs
import pytest

from elasticsearch import ApiError
from itmj_adapters.elasticsearch.candidate_index import ElasticsearchCandidateIndex
from itmj_domain.credits import CreditKind
from itmj_domain.ports import ParsedQuery, SearchFilters
from itmj_domain.search import QueryTooExpensive, parse_query
from itmj_domain.services.cv_search import SearchRequest
from tests.elasticsearch.fake_cluster import FakeCluster
from tests.refusals import refused
from tests.use_cases.test_cv_search import debits, employer_with

BODIES = Path(__file__).parent / "error_bodies"
REASONS = {
    "regexp_too_complex": "a regular expression too complex for the search cluster to run",
    "too_many_nested_clauses_before_8_16": "more terms than the search cluster allows",
    "too_many_nested_clauses_since_8_16": "more terms than the search cluster allows",
    "too_many_clauses_when_built": "more terms than the search cluster allows",
    "expensive_queries_refused": "does not run wildcard, fuzzy, regular-expression, prefix",
}


def recorded(name: str) -> dict:
    return json.loads((BODIES / f"{name}.json").read_text())


def with_index() -> FakeCluster:
    """A cluster that holds the index already (it is made on first use)."""
    cluster = FakeCluster()
    cluster.answer("HEAD", "/candidates", lambda body: (200, {}))
    return cluster


def refusing(name: str) -> tuple[ElasticsearchCandidateIndex, dict]:
    case = recorded(name)
    cluster = with_index()
    cluster.answer("POST", "/candidates/_search", lambda body: (case["status"], case["body"]))
    return ElasticsearchCandidateIndex(cluster.client(), "candidates"), case


def test_every_recorded_body_is_tested():
    assert sorted(path.stem for path in BODIES.glob("*.json")) == sorted(REASONS)


@pytest.mark.parametrize("name", sorted(REASONS))
def test_a_query_the_cluster_finds_too_costly_is_too_expensive(name):
    index, case = refusing(name)
    query = ParsedQuery(case["query"], parse_query(case["query"]))

    with refused(QueryTooExpensive, match="^query too expensive: ") as raised:
        index.search(query, SearchFilters(), 0, 20)

    assert REASONS[name] in raised.value.message
    assert isinstance(raised.value.__cause__, ApiError)
    assert raised.value.__cause__.meta.status == case["status"]


def test_another_server_error_is_not_blamed_on_the_query():
    cluster = with_index()
    failure = {
        "error": {
            "root_cause": [{"type": "node_not_connected_exception", "reason": "not connected"}],
            "type": "search_phase_execution_exception",
            "reason": "all shards failed",
        },
        "status": 500,
    }
    cluster.answer("POST", "/candidates/_search", lambda body: (500, failure))
    index = ElasticsearchCandidateIndex(cluster.client(), "candidates")

    with pytest.raises(ApiError):
        index.search(ParsedQuery("aws", parse_query("aws")), SearchFilters(), 0, 20)


@pytest.mark.parametrize("name", ["regexp_too_complex", "too_many_nested_clauses_before_8_16"])
def test_a_search_the_cluster_refuses_as_too_costly_charges_nothing(services, name):
    index, case = refusing(name)
    search = attrs.evolve(services.cv_search, index=index)
    employer_id = employer_with(services, searches=1)

    with refused(QueryTooExpensive):
        search.search(employer_id, SearchRequest(case["query"]))

    assert debits(services, employer_id) == []
    assert services.credits.balance(employer_id).available(CreditKind.CV_SEARCH) == 1
