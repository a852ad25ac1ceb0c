import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itmj_domain.search.phrase import contains_phrase

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
