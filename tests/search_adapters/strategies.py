"""Hypothesis strategies for search documents and query trees over a small vocabulary, so
that generated queries often match generated documents (and often do not)."""

from hypothesis import strategies as st

from itmj_domain.search import SearchDocument, SearchField
from itmj_domain.search.tree import (
    Boolean,
    Boost,
    Clause,
    Exists,
    Fuzzy,
    MatchAll,
    Occur,
    Phrase,
    Prefix,
    Query,
    Range,
    Regexp,
    Term,
    Wildcard,
)

WORDS = (
    "kubernetes", "aws", "gcp", "junior", "senior", "engineer", "engineers", "process",
    "hvac", "high", "voltage", "dubai", "data", "node.js", "c",
)  # fmt: skip

words = st.sampled_from(WORDS)
fields = st.none() | st.sampled_from(tuple(SearchField))


def _text(low: int, high: int) -> st.SearchStrategy[str]:
    return st.lists(words, min_size=low, max_size=high).map(" ".join)


documents = st.builds(
    SearchDocument,
    headline=st.none() | _text(0, 4),
    summary=st.none() | _text(0, 10),
    skills=st.lists(_text(1, 2), max_size=3),
    city=st.none() | _text(0, 2),
    country=st.none() | _text(1, 2),
)


@st.composite
def _wildcard(draw: st.DrawFn) -> Wildcard:
    word = draw(words)
    position = draw(st.integers(0, len(word)))
    wild = draw(st.sampled_from(("*", "?")))
    cut = position + (wild == "?" and position < len(word))
    return Wildcard(word[:position] + wild + word[cut:], draw(fields))


@st.composite
def _fuzzy(draw: st.DrawFn) -> Fuzzy:
    word = draw(words)
    position = draw(st.integers(0, len(word) - 1))
    typo = draw(st.sampled_from(("", "x", word[position])))
    text = word[:position] + typo + word[position + 1 :]
    return Fuzzy(text or word, draw(st.integers(0, 2)), draw(fields))


@st.composite
def _range(draw: st.DrawFn) -> Range:
    lower, upper = sorted(draw(st.lists(words, min_size=2, max_size=2)))
    return Range(
        draw(st.none() | st.just(lower)),
        draw(st.none() | st.just(upper)),
        draw(st.booleans()),
        draw(st.booleans()),
        draw(fields),
    )


leaves: st.SearchStrategy[Query] = st.one_of(
    st.builds(Term, words, fields),
    st.builds(Phrase, st.lists(words, min_size=2, max_size=3), st.integers(0, 3), fields),
    st.builds(Prefix, words.map(lambda word: word[:2]), fields),
    _wildcard(),
    _fuzzy(),
    st.builds(Regexp, st.sampled_from(("k.*", "[a-h]+", "(aws|gcp)", ".*e.*", "~(hvac)")), fields),
    _range(),
    st.builds(Exists, fields),
    st.just(MatchAll()),
)


def _booleans(children: st.SearchStrategy[Query]) -> st.SearchStrategy[Query]:
    clause = st.builds(Clause, st.sampled_from(tuple(Occur)), children)
    boolean = st.builds(Boolean, st.lists(clause, min_size=1, max_size=4))
    return boolean | st.builds(Boost, boolean, st.sampled_from((0.5, 2.0)))


queries: st.SearchStrategy[Query] = st.recursive(leaves, _booleans, max_leaves=8)
