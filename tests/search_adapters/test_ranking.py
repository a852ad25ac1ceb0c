"""The ranking is exact: the same order as scoring every match one by one and sorting by
score (descending), then id."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itmj_adapters.search import bitsets, ranking, work
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.matcher import Matcher
from itmj_adapters.search.scoring import Component, ConstantComponent, Scorer
from itmj_domain.ports import IndexedCandidate
from itmj_domain.search import SearchDocument, parse_query
from itmj_domain.search.budget import WorkBudget
from tests.search_adapters.strategies import documents, queries, words

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def one_by_one(matches: int, components: list[Component]) -> list[int]:
    """Score each match, adding values in the ranking's order."""
    ordered = ranking.summation_order(components)
    scores = {}
    for member in bitsets.ids_of(matches):
        score = 0.0
        for component in ordered:
            if bitsets.contains(component.bits, member):
                score += component.value_of(member)
        scores[member] = score
    return sorted(scores, key=lambda member: (-scores[member], member))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(documents, min_size=1, max_size=40),
    queries,
    st.integers(0, 30),
    st.integers(1, 30),
    # Ids far apart make the matches few against a wide index: they are then ranked over a
    # numbering of their own.
    st.sampled_from([1, 300_000]),
)
def test_a_window_of_the_ranking_is_that_of_scoring_every_match(docs, tree, offset, limit, spacing):
    index = InvertedIndex()
    index.replace(
        [
            IndexedCandidate(number * spacing, doc, frozenset(), NOW)
            for number, doc in enumerate(docs)
        ]
    )
    query = parse_query(tree.to_query_string())
    matched = Matcher(index).match(query, index.live)
    components = Scorer(index).components(matched, matched.bits)

    window = ranking.rank(matched.bits, components, offset, limit)

    assert window == one_by_one(matched.bits, components)[offset : offset + limit]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(documents, min_size=1, max_size=40),
    st.lists(words, min_size=1, max_size=5),
    st.integers(0, 30),
    st.integers(1, 30),
)
def test_few_matches_of_a_wide_index_rank_as_scoring_every_match(docs, chosen, offset, limit):
    index = InvertedIndex()
    index.replace(
        [
            IndexedCandidate(number * 300_000, doc, frozenset(), NOW)
            for number, doc in enumerate(docs)
        ]
    )
    query = parse_query(" OR ".join(f'"{word}"^{rank}' for rank, word in enumerate(chosen, 1)))
    matched = Matcher(index).match(query, index.live)
    components = Scorer(index).components(matched, matched.bits)

    window = ranking.rank(matched.bits, components, offset, limit)

    assert window == one_by_one(matched.bits, components)[offset : offset + limit]


@pytest.mark.parametrize("spacing", [1, 1000])
def test_splitting_a_large_match_set_gives_the_same_order_as_scoring_each(spacing):
    docs = [
        SearchDocument(
            headline="engineer " * (1 + number % 5),
            summary=" ".join(["kubernetes"] * (1 + number % 3) + ["word"] * (number % 37)),
            skills=("aws",) if number % 2 else ("gcp", "aws"),
        )
        for number in range(600)
    ]
    index = InvertedIndex()
    index.replace(
        [IndexedCandidate(n * spacing, doc, frozenset(), NOW) for n, doc in enumerate(docs)]
    )
    query = parse_query("engineer OR kubernetes OR aws OR gcp^2")
    matched = Matcher(index).match(query, index.live)
    components = Scorer(index).components(matched, matched.bits)

    assert ranking.rank(matched.bits, components, 0, 600) == one_by_one(matched.bits, components)
    assert (
        ranking.rank(matched.bits, components, 250, 20)
        == (one_by_one(matched.bits, components)[250:270])
    )


def test_matches_no_component_scores_come_last_in_id_order():
    matches = bitsets.from_ids([1, 2, 3, 4, 5, 6])
    boosted = ConstantComponent(bitsets.from_ids([5, 2]), 2.0)

    assert ranking.rank(matches, [boosted], 0, 10) == [2, 5, 1, 3, 4, 6]
    assert ranking.rank(matches, [], 2, 3) == [3, 4, 5]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sets(st.integers(0, 300), max_size=200), min_size=2, max_size=64),
    st.sampled_from([1.0, 0.1, 2.0, 0.7]),
    st.integers(0, 300),
)
def test_many_components_of_one_value_rank_by_how_many_each_member_meets(sets, value, offset):
    matches = bitsets.from_ids(range(301))
    components = [ConstantComponent(bitsets.from_ids(sorted(each)), value) for each in sets]

    window = ranking.rank(matches, components, offset, 20)

    assert window == one_by_one(matches, components)[offset : offset + 20]


def test_sixty_four_wildcards_over_many_candidates_rank_in_a_few_set_operations():
    words = [f"{first}{second}x" for first in "abcdefgh" for second in "abcdefgh"]
    docs = [
        SearchDocument(summary=" ".join(words[number % 64 : number % 64 + number % 50]))
        for number in range(3000)
    ]
    index = InvertedIndex()
    index.replace([IndexedCandidate(n, doc, frozenset(), NOW) for n, doc in enumerate(docs)])
    query = parse_query(" OR ".join(f"*{word[:2]}*" for word in words))
    matched = Matcher(index).match(query, index.live)
    components = Scorer(index).components(matched, matched.bits)
    budget = WorkBudget(10**9)

    window = ranking.rank(matched.bits, components, 0, 20, budget)

    assert window == one_by_one(matched.bits, components)[:20]
    assert budget.spent <= 64 * 2 * 7 * work.SET_OPERATION


def test_frequencies_a_byte_cannot_hold_rank_few_matches_of_a_wide_index_alike():
    docs = [SearchDocument(summary=" ".join(["aws"] * (250 + 3 * number))) for number in range(6)]
    index = InvertedIndex()
    index.replace(
        [IndexedCandidate(n * 300_000, doc, frozenset(), NOW) for n, doc in enumerate(docs)]
    )
    matched = Matcher(index).match(parse_query("aws"), index.live)
    components = Scorer(index).components(matched, matched.bits)

    assert ranking.rank(matched.bits, components, 0, 10) == one_by_one(matched.bits, components)
