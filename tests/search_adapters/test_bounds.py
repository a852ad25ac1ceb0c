"""The ranking by bounds is exact: when it answers, it answers as scoring every match one by
one; what it reads of each component (``narrowed``) holds every match's value from above."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itmj_adapters.search import bitsets, bounds, ranking
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.matcher import Matched, Matcher
from itmj_adapters.search.narrowed import Narrowed
from itmj_adapters.search.renumbering import Renumbering
from itmj_adapters.search.scoring import Component, Scorer
from itmj_domain.ports import IndexedCandidate
from itmj_domain.search import SearchDocument, parse_query
from itmj_domain.search.budget import WorkBudget
from tests.search_adapters.strategies import documents, queries
from tests.search_adapters.test_ranking import one_by_one

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def matched_in(docs: list[SearchDocument], text: str) -> tuple[Matched, list[Component]]:
    index = InvertedIndex()
    index.replace(
        [IndexedCandidate(number * 7, doc, frozenset(), NOW) for number, doc in enumerate(docs)]
    )
    matched = Matcher(index).match(parse_query(text), index.live)
    return matched, Scorer(index).components(matched, matched.bits)


def by_bounds(
    matches: int, components: list[Component], offset: int, limit: int, start: float = 0.0
) -> list[tuple[int, float]] | None:
    ordered = ranking.summation_order(components)
    renumbering = Renumbering(matches)
    narrowed = [component.narrowed(renumbering) for component in ordered]
    budget = WorkBudget(10**9)
    found = bounds.window(renumbering, ordered, narrowed, offset, limit, budget, start)
    return None if found is None else [(renumbering.ids[at], score) for at, score in found]


def ids_by_bounds(
    matches: int, components: list[Component], offset: int, limit: int
) -> list[int] | None:
    found = by_bounds(matches, components, offset, limit)
    return None if found is None else [member for member, _ in found]


def scored_one_by_one(matches: int, components: list[Component], start: float) -> list[tuple]:
    """Each match and its score, values added to ``start`` in the ranking's order, best
    first, ties by id."""
    ordered = ranking.summation_order(components)
    scores = {}
    for member in bitsets.ids_of(matches):
        score = start
        for component in ordered:
            if bitsets.contains(component.bits, member):
                score += component.value_of(member)
        scores[member] = score
    return sorted(scores.items(), key=lambda entry: (-entry[1], entry[0]))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(documents, min_size=1, max_size=60),
    queries,
    st.integers(0, 12),
    st.integers(1, 12),
    st.sampled_from([0.0, 1.25, 7.0]),
)
def test_the_ranking_by_bounds_is_that_of_scoring_every_match(docs, tree, offset, limit, start):
    matched, components = matched_in(docs, tree.to_query_string())
    if not matched.bits or not components:
        return

    found = by_bounds(matched.bits, components, offset, limit, start)

    expected = scored_one_by_one(matched.bits, components, start)[offset : offset + limit]
    assert found is None or found == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(documents, min_size=1, max_size=60), queries)
def test_narrowed_components_bound_each_match_and_keep_the_maximum(docs, tree):
    matched, components = matched_in(docs, tree.to_query_string())
    if not matched.bits:
        return
    renumbering = Renumbering(matched.bits)

    for component in components:
        narrowed = component.narrowed(renumbering)

        assert narrowed.maximum == component.maximum
        members = [renumbering.ids[position] for position in bitsets.positions_of(narrowed.marks)]
        assert members == bitsets.ids_of(component.bits)
        for position, member in enumerate(renumbering.ids):
            layers = [values[keys[position]] for keys, values in narrowed.layers if keys[position]]
            if member in members:
                assert len(layers) == 1
                assert layers[0] >= component.value_of(member)
            else:
                assert layers == []


def test_scores_far_apart_are_ranked_by_bounds_scoring_few():
    docs = [
        SearchDocument(
            summary=" ".join(
                ["voltage"] * (1 + number % 4)
                + ["filler"] * (number % 29)
                + ["dubai"] * (number % 2)
            ),
            city="dubai" if number % 3 else None,
        )
        for number in range(400)
    ]
    matched, components = matched_in(docs, "voltage OR dubai")

    found = ids_by_bounds(matched.bits, components, 5, 20)

    assert found == one_by_one(matched.bits, components)[5:25]


@pytest.mark.parametrize("start", [0.0, 3.0])
@pytest.mark.parametrize("offset", [0, 7, 45])
def test_scores_close_together_are_ranked_by_bounds_as_scoring_every_match(offset, start):
    docs = [
        SearchDocument(
            headline=" ".join(["engineer"] * (1 + number % 2) + ["filler"] * (number % 11)),
            summary=" ".join(["voltage"] * (1 + number % 3) + ["filler"] * (number * 7 % 190)),
        )
        for number in range(600)
    ]
    matched, components = matched_in(docs, "voltage OR engineer")

    found = by_bounds(matched.bits, components, offset, 20, start)

    expected = scored_one_by_one(matched.bits, components, start)[offset : offset + 20]
    assert found == expected


def test_scores_much_alike_give_the_ranking_by_bounds_up():
    docs = [SearchDocument(summary="voltage filler") for _ in range(400)]
    matched, components = matched_in(docs, "voltage")

    assert ids_by_bounds(matched.bits, components, 0, 20) is None


def test_few_matches_of_a_wide_index_with_scores_far_apart_rank_as_scoring_every_match():
    docs = [
        SearchDocument(
            headline="engineer" if number % 5 else "voltage engineer",
            summary=" ".join(["voltage"] * (1 + number % 4) + ["filler"] * (number % 29)),
            skills=("dubai",) if number % 7 else (),
        )
        for number in range(400)
    ]
    index = InvertedIndex()
    index.replace([IndexedCandidate(n * 1000, doc, frozenset(), NOW) for n, doc in enumerate(docs)])
    matched = Matcher(index).match(parse_query("voltage OR dubai^2 OR engineer"), index.live)
    components = Scorer(index).components(matched, matched.bits)

    window = ranking.rank(matched.bits, components, 3, 30)

    assert window == one_by_one(matched.bits, components)[3:33]


@pytest.mark.parametrize("offset", [0, 13])
def test_a_part_few_against_a_wide_index_is_ranked_by_bounds_as_scoring_every_match(offset):
    # Matches too many to number among themselves; those holding the rare, boosted word are
    # a part few against the width, scored without splitting.
    docs = [
        SearchDocument(
            headline=" ".join(["engineer"] * (1 + number % 3) + ["filler"] * (number % 13)),
            summary=" ".join(
                ["voltage"] * (1 + number % 2)
                + ["filler"] * (number * 7 % 61)
                + ["substation"] * (number % 11 == 0)
            ),
        )
        for number in range(8000)
    ]
    index = InvertedIndex()
    index.replace([IndexedCandidate(n * 40, doc, frozenset(), NOW) for n, doc in enumerate(docs)])
    query = parse_query("engineer OR voltage OR substation^4")
    matched = Matcher(index).match(query, index.live)
    components = Scorer(index).components(matched, matched.bits)

    window = ranking.rank(matched.bits, components, offset, 20)

    assert window == one_by_one(matched.bits, components)[offset : offset + 20]


def test_components_no_match_meets_give_every_match_the_score_it_starts_with():
    docs = [
        SearchDocument(summary="voltage", city="dubai" if number % 2 else None)
        for number in range(40)
    ]
    index = InvertedIndex()
    index.replace([IndexedCandidate(n, doc, frozenset(), NOW) for n, doc in enumerate(docs)])
    matches = Matcher(index).match(parse_query("voltage AND NOT dubai"), index.live).bits
    elsewhere = Matcher(index).match(parse_query("city:dubai"), index.live)
    components = Scorer(index).components(elsewhere, elsewhere.bits)
    renumbering = Renumbering(matches)
    narrowed = [component.narrowed(renumbering) for component in components]

    found = bounds.window(renumbering, components, narrowed, 3, 5, WorkBudget(10**9), 1.5)

    assert found == [(position, 1.5) for position in range(3, 8)]


class _Valued:
    """A component whose members' values are given."""

    constant = False

    def __init__(self, values: dict[int, float]) -> None:
        self._values = values

    def values_of(self, members: list[int]) -> list[float]:
        return [self._values[member] for member in members]


def test_bands_too_many_to_score_together_are_scored_one_by_one_before_giving_up():
    # 20 matches bound at 10 score 5; then 300 bound at 9 score 9 and 300 bound at 8 score 1:
    # both bands reach 5, and together they are more than may be scored, but once the first
    # is scored the second cannot reach the window.
    keys = [1] * 20 + [2] * 300 + [3] * 300 + [4] * 1380
    exact = {1: 5.0, 2: 9.0, 3: 1.0, 4: 0.5}
    renumbering = Renumbering((1 << len(keys)) - 1)
    component = _Valued({member: exact[key] for member, key in enumerate(keys)})
    narrowed = Narrowed(
        b"\x01" * len(keys), 10.0, ((bytes(keys), {1: 10.0, 2: 9.0, 3: 8.0, 4: 0.5}),)
    )

    found = bounds.window(renumbering, [component], [narrowed], 0, 20, WorkBudget(10**9))

    assert found == [(member, 9.0) for member in range(20, 40)]


def test_the_maximum_of_a_frequency_is_that_of_the_shortest_field_holding_it_that_often():
    docs = [
        SearchDocument(summary="voltage voltage"),
        SearchDocument(summary=" ".join(["voltage"] * 3 + ["filler"] * 40)),
        SearchDocument(summary="voltage filler filler"),
    ]
    matched, components = matched_in(docs, "voltage")

    (narrowed,) = (component.narrowed(Renumbering(matched.bits)) for component in components)

    assert narrowed.maximum == components[0].maximum == components[0].value_of(0)
