import pytest

from itmj_domain.search.wildcard import literal_prefix, normalize_wildcard, wildcard_regex


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
    assert bool(wildcard_regex(pattern).fullmatch(term)) is expected


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
