import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itmj_domain.search.wildcard import literal_prefix, normalize_wildcard, wildcard_matcher


def test_only_plain_parts_are_lowercased():
    assert normalize_wildcard("Kube*R?\\A\\*") == "kube*r?\\A\\*"


@pytest.mark.parametrize(
    ("pattern", "term", "expected"),
    [
        ("kube*", "kubernetes", True),
        ("*ops", "devops", True),
        ("*", "", True),
        ("te?t", "test", True),
        ("te?t", "tet", False),
        ("?", "👍", True),
        ("k\\*", "k*", True),
        ("k\\*", "kx", False),
        ("a.b", "axb", False),
        ("ab\\", "ab\\", True),
        ("c\\+*", "c++", True),
    ],
)
def test_a_pattern_matches_whole_terms(pattern, term, expected):
    assert wildcard_matcher(pattern)(term) is expected


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [
        ("kube*", "kube"),
        ("*ops", ""),
        ("k\\*b?", "k*b"),
        ("plain", "plain"),
        ("a\\*", "a*"),
        ("ab\\", "ab\\"),
        ("\\", "\\"),
        ("AXB?", "AXB"),
    ],
)
def test_the_literal_prefix_stops_at_the_first_wildcard(pattern, prefix):
    assert literal_prefix(pattern) == prefix


def _as_regex(pattern: str) -> re.Pattern[str]:
    """The obvious translation, backtracking and all: the reference on short terms."""
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            index += 1
            parts.append(re.escape(pattern[index]))
        else:
            parts.append({"*": ".*", "?": "."}.get(char, re.escape(char)))
        index += 1
    return re.compile("".join(parts), re.DOTALL)


@given(st.text("ab*?\\", max_size=8), st.text("ab*?\\", max_size=10))
def test_a_pattern_matches_as_its_regular_expression_does(pattern, term):
    assert wildcard_matcher(pattern)(term) is bool(_as_regex(pattern).fullmatch(term))


def test_a_pattern_of_many_stars_does_not_backtrack_on_a_long_term():
    pattern = "*a" * 12 + "*b"

    assert wildcard_matcher(pattern)("a" * 255) is False
    assert wildcard_matcher(pattern)("a" * 254 + "b") is True
