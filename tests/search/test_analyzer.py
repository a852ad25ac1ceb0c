import pytest
from hypothesis import given
from hypothesis import strategies as st

from itmj_domain.search.analyzer import analyze, ascii_words, normalize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Node.js", ("node.js",)),
        ("C++ and C#", ("c", "and", "c")),
        ('"CI/CD"', ("ci", "cd")),
        ("don't", ("don't",)),
        ("3.14 or 1,000", ("3.14", "or", "1,000")),
        ("snake_case __init__", ("snake_case", "__init__")),
        ("U.S.A.", ("u.s.a",)),
        ("ΣΟΦΟΣ İstanbul", ("σοφοσ", "istanbul")),
        ("I ❤️ k8s 👍🏻", ("i", "❤️", "k8s", "👍🏻")),
        ("漢字かな", ("漢", "字", "か", "な")),
        ("カタカナ_ok", ("カタカナ_ok",)),
        ("", ()),
        ("--- ... !!!", ()),
    ],
)
def test_standard_analyzer(text, tokens):
    assert analyze(text) == tokens


def test_a_word_longer_than_255_characters_is_cut_into_pieces():
    assert analyze("x" * 600) == ("x" * 255, "x" * 255, "x" * 90)
    assert analyze("é" * 300) == ("é" * 255, "é" * 45)


def test_normalizing_lowercases_character_by_character():
    assert normalize("ΣΟΦΟΣ İ Kube*") == "σοφοσ i kube*"
    assert len(normalize("İİ")) == 2


# Ⓜ is left out: it is an emoji that its lowercase ⓜ is not, so a zero-width joiner before it
# joins the token only before lowercasing (the one known token that does not analyze to itself).
_INTERESTING = st.text(
    alphabet=st.sampled_from([
        *"aZ1_.,:;'\"-# ", "é", "İ", "Σ", "\u05d0", "\u30ab", "\u4e00", "\u0e01", "\u0301",
        "\u200d", "\ufe0f", "\U0001f44d", "\U0001f3fb",
    ]),
    max_size=20,
)  # fmt: skip


@given(_INTERESTING)
def test_every_token_analyzes_to_itself_so_a_term_prints_as_itself(text):
    for token in analyze(text):
        assert analyze(token) == (token,)


@given(st.text(alphabet=st.sampled_from([*"aZ19_.,:;'\"-#\t\n\x0b\x1f "]), max_size=40))
def test_ascii_text_analyzes_word_by_word(text):
    words = ascii_words(text)
    assert words is not None
    assert tuple(token for word in words for token in analyze(word)) == analyze(text)


def test_a_long_ascii_word_is_cut_as_in_the_whole_text():
    text = "a " + "x" * 600 + ".y b"
    assert tuple(token for word in ascii_words(text) for token in analyze(word)) == analyze(text)


def test_text_beyond_ascii_has_no_words_to_analyze_apart():
    assert ascii_words("a \u0301b") is None
    assert ascii_words("Node.js  and\tC++") == ["node.js", "and", "c++"]
