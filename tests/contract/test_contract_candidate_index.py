"""The CandidateIndex contract, run against the in-memory index and, when
``ITMJ_TEST_ELASTICSEARCH_URL`` names a cluster, against Elasticsearch.

Both must return exactly the documents real Lucene matched for every row of the oracle table
(tests/search/oracle_table.json) and the documents the reference evaluator matches for
generated ones; filters, exact totals, stable pages (ties by id), replacing and removing hold
the same way.
"""

import json
import os
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elasticsearch import Elasticsearch
from itmj_adapters.elasticsearch.candidate_index import ElasticsearchCandidateIndex
from itmj_adapters.memory.candidate_index import MemoryCandidateIndex
from itmj_domain.ports import (
    CandidateIndex,
    IndexedCandidate,
    ParsedQuery,
    SearchFilters,
)
from itmj_domain.search import SearchDocument, matches, parse_query
from itmj_domain.search.tree import Query
from tests.search_adapters.strategies import documents, queries

ELASTICSEARCH_URL = os.environ.get("ITMJ_TEST_ELASTICSEARCH_URL")
BACKENDS = [
    "memory",
    pytest.param(
        "elasticsearch",
        marks=pytest.mark.skipif(
            not ELASTICSEARCH_URL, reason="ITMJ_TEST_ELASTICSEARCH_URL names no cluster"
        ),
    ),
]
ORACLE = json.loads(
    (Path(__file__).parents[1] / "search" / "oracle_table.json").read_text(encoding="utf-8")
)
ORACLE_CASES = [case for case in ORACLE["cases"] if "error" not in case]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EVERYTHING = SearchFilters()


def _open(backend: str) -> Iterator[CandidateIndex]:
    if backend == "memory":
        yield MemoryCandidateIndex()
        return
    client = Elasticsearch(ELASTICSEARCH_URL)
    # The suite searches right after it writes: each write waits until it is searchable.
    index = ElasticsearchCandidateIndex(
        client, f"itmj-contract-{uuid.uuid4().hex}", refresh="wait_for"
    )
    index.ensure_index()
    try:
        yield index
    finally:
        # The alias cannot be deleted by its name: the indices it names are.
        behind = client.indices.get_alias(name=index.index_name).body
        client.indices.delete(index=",".join(behind))
        client.close()


@pytest.fixture(params=BACKENDS)
def index(request: pytest.FixtureRequest) -> Iterator[CandidateIndex]:
    yield from _open(request.param)


@pytest.fixture(scope="module", params=BACKENDS)
def oracle_index(request: pytest.FixtureRequest) -> Iterator[CandidateIndex]:
    """The oracle table's documents, ``d7`` as candidate 7."""
    for index in _open(request.param):
        index.upsert(
            [
                candidate(int(name[1:]), SearchDocument(**fields))
                for name, fields in ORACLE["documents"].items()
            ]
        )
        yield index


def candidate(
    candidate_id: int,
    document: SearchDocument,
    countries: Sequence[int] = (),
    active: datetime = NOW,
) -> IndexedCandidate:
    return IndexedCandidate(candidate_id, document, frozenset(countries), active)


def search(
    index: CandidateIndex,
    text: str,
    filters: SearchFilters = EVERYTHING,
    offset: int = 0,
    limit: int = 100,
):
    return index.search(ParsedQuery(text, parse_query(text)), filters, offset, limit)


def headline(text: str) -> SearchDocument:
    return SearchDocument(headline=text)


@pytest.mark.parametrize("case", ORACLE_CASES, ids=[case["query"] for case in ORACLE_CASES])
def test_an_index_matches_the_documents_lucene_matches(oracle_index, case):
    hits = search(oracle_index, case["query"])

    assert sorted(hits.candidate_ids) == sorted(int(name[1:]) for name in case["matches"])
    assert hits.total == len(case["matches"])


def test_the_spec_examples_find_their_candidates(oracle_index):
    assert search(oracle_index, '"Process Engineer" AND "HVAC"').candidate_ids == [1]
    assert sorted(
        search(
            oracle_index, '(("High" OR "Low") AND "voltage") AND "Engineers" AND "Dubai"'
        ).candidate_ids
    ) == [4, 9]
    assert search(oracle_index, "kubernetes AND (aws OR gcp) AND NOT junior").candidate_ids == [
        3
    ]


def test_preferred_countries_keep_candidates_wanting_any_of_them(index):
    index.upsert(
        [
            candidate(1, headline("engineer"), [784]),
            candidate(2, headline("engineer"), [826, 784]),
            candidate(3, headline("engineer"), []),
            candidate(4, headline("engineer"), [682]),
        ]
    )

    assert sorted(search(index, "engineer", SearchFilters(frozenset({784}))).candidate_ids) == [
        1,
        2,
    ]
    only_others = search(index, "engineer", SearchFilters(frozenset({682, 826})))
    assert sorted(only_others.candidate_ids) == [2, 4]
    assert only_others.total == 2
    assert search(index, "engineer", SearchFilters(frozenset({250}))).total == 0


def test_activity_keeps_candidates_active_at_or_after_the_bound(index):
    index.upsert(
        [
            candidate(1, headline("engineer"), active=NOW - timedelta(days=10)),
            candidate(2, headline("engineer"), active=NOW - timedelta(seconds=1)),
            candidate(3, headline("engineer"), active=NOW),
            candidate(4, headline("engineer"), active=NOW + timedelta(days=400)),
        ]
    )

    recent = search(index, "engineer", SearchFilters(active_since=NOW))

    assert sorted(recent.candidate_ids) == [3, 4]
    assert recent.total == 2


def test_filters_combine_with_each_other_and_with_the_query(index):
    index.upsert(
        [
            candidate(1, headline("hvac engineer"), [784], NOW),
            candidate(2, headline("hvac engineer"), [784], NOW - timedelta(days=90)),
            candidate(3, headline("hvac engineer"), [682], NOW),
            candidate(4, headline("data engineer"), [784], NOW),
        ]
    )
    filters = SearchFilters(frozenset({784}), NOW - timedelta(days=30))

    assert search(index, "hvac", filters).candidate_ids == [1]
    assert sorted(search(index, "NOT hvac", filters).candidate_ids) == [4]


def test_pages_are_consecutive_slices_of_one_ranking_with_an_exact_total(index):
    index.upsert(
        [
            candidate(number, SearchDocument(summary="engineer " + "word " * (number % 7)))
            for number in range(1, 26)
        ]
    )
    whole = search(index, "engineer", limit=100)

    pages = [search(index, "engineer", offset=offset, limit=7) for offset in range(0, 28, 7)]

    assert whole.total == 25
    assert sorted(whole.candidate_ids) == list(range(1, 26))
    assert [hit for page in pages for hit in page.candidate_ids] == whole.candidate_ids
    assert {page.total for page in pages} == {25}
    beyond = search(index, "engineer", offset=30, limit=10)
    assert (beyond.total, list(beyond.candidate_ids)) == (25, [])


def test_equally_relevant_candidates_come_in_id_order(index):
    ids = [7, 3, 11, 1, 9, 5]
    index.upsert([candidate(number, headline("senior hvac engineer")) for number in ids])

    first = search(index, "hvac", limit=4)
    second = search(index, "hvac", offset=4, limit=4)

    assert list(first.candidate_ids) == [1, 3, 5, 7]
    assert list(second.candidate_ids) == [9, 11]


def test_more_relevant_candidates_come_first(index):
    index.upsert(
        [
            candidate(1, headline("python developer and tester")),
            candidate(2, headline("kubernetes and aws engineer")),
            candidate(3, headline("kubernetes platform engineer")),
        ]
    )

    assert search(index, "kubernetes OR aws").candidate_ids[0] == 2
    assert search(index, "*").total == 3


def test_upserting_a_candidate_again_replaces_what_was_indexed(index):
    index.upsert([candidate(1, headline("python developer")), candidate(2, headline("tester"))])

    index.upsert([candidate(1, headline("java developer"), [784])])

    assert search(index, "python").total == 0
    assert search(index, "java").candidate_ids == [1]
    assert search(index, "developer", SearchFilters(frozenset({784}))).candidate_ids == [1]
    assert search(index, "*:*").total == 2


def test_the_last_of_two_versions_in_one_batch_wins(index):
    index.upsert([candidate(1, headline("python")), candidate(1, headline("golang"))])

    assert search(index, "golang").candidate_ids == [1]
    assert search(index, "python").total == 0


def test_a_removed_candidate_is_no_longer_found(index):
    index.upsert([candidate(number, headline("hvac engineer")) for number in (1, 2, 3)])

    index.remove([2, 404])

    assert search(index, "hvac").candidate_ids == [1, 3]
    assert search(index, "*:*").total == 2
    index.upsert([candidate(2, headline("hvac lead"))])
    assert search(index, "lead").candidate_ids == [2]


@pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ITMJ_TEST_ELASTICSEARCH_URL names no cluster")
def test_an_elasticsearch_rebuild_swaps_in_what_it_filled_and_drops_the_old_index():
    client = Elasticsearch(ELASTICSEARCH_URL)
    alias = f"itmj-contract-{uuid.uuid4().hex}"
    index = ElasticsearchCandidateIndex(client, alias, refresh="wait_for")
    try:
        index.upsert([candidate(1, headline("python developer"))])

        def fill() -> int:
            index.upsert([candidate(2, headline("java developer"))])
            return 1

        assert index.rebuilt(fill) == 1
        assert search(index, "developer").candidate_ids == [2]
        assert list(client.indices.get_alias(name=alias).body) == [f"{alias}-2"]
        assert not client.indices.exists(index=f"{alias}-1")
    finally:
        client.indices.delete(index=f"{alias}-1,{alias}-2", ignore_unavailable=True)
        client.close()


def test_a_field_and_a_phrase_stay_within_their_values(index):
    index.upsert(
        [
            candidate(1, SearchDocument(skills=("aws", "kubernetes"))),
            candidate(2, SearchDocument(skills=("aws kubernetes",))),
            candidate(3, SearchDocument(headline="aws", summary="kubernetes")),
        ]
    )

    assert search(index, '"aws kubernetes"').candidate_ids == [2]
    assert search(index, '"aws kubernetes"~50').candidate_ids == [2]
    assert sorted(search(index, "skills:kubernetes").candidate_ids) == [1, 2]
    assert search(index, "summary:kubernetes").candidate_ids == [3]


@pytest.fixture(params=BACKENDS)
def reusable_index(request: pytest.FixtureRequest) -> Iterator[CandidateIndex]:
    yield from _open(request.param)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(documents, min_size=1, max_size=8), queries)
def test_an_index_agrees_with_the_reference_evaluator(reusable_index, docs, tree: Query):
    text = tree.to_query_string()
    parsed = parse_query(text)
    reusable_index.remove(list(range(1, 9)))
    reusable_index.upsert([candidate(number, doc) for number, doc in enumerate(docs, start=1)])

    hits = reusable_index.search(ParsedQuery(text, parsed), EVERYTHING, 0, 100)

    expected = [number for number, doc in enumerate(docs, start=1) if matches(parsed, doc)]
    assert sorted(hits.candidate_ids) == expected
    assert hits.total == len(expected)
