import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itmj_domain.search import QueryTooExpensive
from itmj_domain.search.budget import WorkBudget
from itmj_domain.search.phrase import PhraseMatcher, contains_phrase
from tests.refusals import refused

TOKENS = ("low", "voltage", "systems", "in", "dubai", "low", "cost")


@pytest.mark.parametrize(
    ("words", "slop", "expected"),
    [
        (("low", "voltage"), 0, True),
        (("voltage", "low"), 0, False),
        (("voltage", "low"), 1, False),
        (("voltage", "low"), 2, True),
        (("low", "systems"), 0, False),
        (("low", "systems"), 1, True),
        (("low", "cost"), 0, True),
        (("low", "low"), 0, False),
        (("low", "low"), 5, True),
        (("low", "low", "low"), 10, False),
        (("dubai", "missing"), 10, False),
    ],
)
def test_phrases_need_their_words_within_the_slop(words, slop, expected):
    assert contains_phrase(TOKENS, words, slop) is expected


def _brute_force(tokens, words, slop):
    """Every way of giving each word its own position; the phrase positions must fit."""
    candidates = [[p for p, token in enumerate(tokens) if token == word] for word in words]
    for positions in itertools.product(*candidates):
        if len(set(positions)) < len(positions):
            continue
        shifted = [position - index for index, position in enumerate(positions)]
        if max(shifted) - min(shifted) <= slop:
            return True
    return False


@given(
    st.lists(st.sampled_from("abc"), max_size=8).map(tuple),
    st.lists(st.sampled_from("abc"), min_size=2, max_size=4).map(tuple),
    st.integers(0, 4),
)
def test_phrase_matching_is_the_exhaustive_search(tokens, words, slop):
    assert contains_phrase(tokens, words, slop) == _brute_force(tokens, words, slop)


@given(
    st.lists(st.sampled_from("abc"), max_size=12).map(tuple),
    st.lists(st.sampled_from("abc"), min_size=2, max_size=5).map(tuple),
    st.integers(0, 6),
)
def test_a_value_written_as_one_character_per_word_is_searched_alike(tokens, words, slop):
    assert PhraseMatcher(words, slop).in_value("".join(tokens)) == contains_phrase(
        tokens, words, slop
    )


def spent_on(value: str, words: str, slop: int) -> tuple[bool, int]:
    budget = WorkBudget(10**9)
    found = PhraseMatcher(words, slop, budget).in_value(value)
    return found, budget.spent


@pytest.mark.parametrize(
    ("tail", "words", "slop", "expected"),
    [
        ("ra" + "b" * 10, "ra", 3, True),
        ("rbaaab", "rab", 3, True),
        ("r", "abr", 2, False),
        ("", "abx", 1000, False),
        ("", "aaba", 0, False),
        ("", "baaa", 1, False),
    ],
)
def test_the_work_follows_the_rarest_word_not_the_length_of_the_value(
    tail, words, slop, expected
):
    found, spent = spent_on("a" * 5000 + "b" * 5000 + tail, words, slop)

    assert found is expected
    assert spent <= 5 * len(words)


def test_a_long_phrase_of_common_words_with_a_high_slop_costs_a_few_lookups_per_word():
    words = "onwai" * 6 + "on"

    found, spent = spent_on(("onwai" * 20 + "x") * 30, words, 1000)

    assert found
    assert spent <= 3 * len(words)


def test_matching_spends_from_the_budget_and_stops_past_it():
    budget = WorkBudget(50)
    matcher = PhraseMatcher("onwai" * 6, 3, budget)

    with refused(QueryTooExpensive, match="^query too expensive: "):
        for _ in range(100):
            matcher.in_value("onwai" * 50)
    assert budget.spent > 50
