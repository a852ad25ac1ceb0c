import pytest
from hypothesis import given
from hypothesis import strategies as st

from itmj_domain.search.fuzzy import auto_edits, within_edits


@pytest.mark.parametrize(
    ("text", "edits"), [("a", 0), ("ab", 0), ("abc", 1), ("abcde", 1), ("abcdef", 2), ("ΣΟΦΟΣ", 1)]
)
def test_auto_fuzziness_grows_with_the_length(text, edits):
    assert auto_edits(text) == edits


@pytest.mark.parametrize(
    ("source", "target", "edits", "expected"),
    [
        ("kubernetes", "kuberentes", 1, True),
        ("kubernetes", "kubernetis", 1, True),
        ("kubernetes", "kubrnetes", 1, True),
        ("kubernetes", "kubernetess", 1, True),
        ("kubernetes", "kubrentes", 1, False),
        ("ab", "a", 1, True),
        ("aws", "aws", 0, True),
        ("aws", "awz", 0, False),
        ("ca", "abc", 2, False),
        ("ac", "abc", 1, True),
        ("ukbernetes", "kubernetes", 1, True),
        ("aaaaaa", "aba", 3, False),
    ],
)
def test_edits_count_transpositions_of_neighbours_as_one(source, target, edits, expected):
    assert within_edits(source, target, edits) is expected


def _osa_distance(source, target):
    rows = [
        [i + j if i * j == 0 else 0 for j in range(len(target) + 1)] for i in range(len(source) + 1)
    ]
    for i in range(1, len(source) + 1):
        for j in range(1, len(target) + 1):
            cost = source[i - 1] != target[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if (
                i > 1
                and j > 1
                and source[i - 1] == target[j - 2]
                and source[i - 2] == target[j - 1]
            ):
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


@given(st.text("abc", max_size=7), st.text("abc", max_size=7), st.integers(0, 2))
def test_within_edits_is_the_optimal_string_alignment_distance(source, target, edits):
    assert within_edits(source, target, edits) == (_osa_distance(source, target) <= edits)
