"""What a batch write leaves in the index, checked against the analyzer candidate by candidate:
writes are staged field by field over the whole batch and texts encoded word by word, and
none of that may show."""

from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from itmj_adapters.search.documents import FIELDS, VALUE_SEPARATOR
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.norms import length_norm
from itmj_domain.ports import IndexedCandidate
from itmj_domain.search import SearchDocument
from itmj_domain.search.analyzer import analyze

_WORDS = ("low", "voltage", "Low", "node.js", "C++", "3.14", "é", "Σοφός", "a\u0301b", "--")
_texts = st.lists(st.sampled_from(_WORDS), max_size=6).map(" ".join)
# Long enough that a batch of them is counted term by term (``staging``).
_long_texts = st.lists(st.sampled_from(_WORDS), min_size=30, max_size=40).map(" ".join)
_documents = st.builds(
    SearchDocument,
    headline=st.none() | _texts,
    summary=st.none() | _texts | _long_texts,
    skills=st.lists(_texts, max_size=3),
    city=st.none() | _texts,
    country=st.none() | _texts,
)
_batches = st.lists(
    st.lists(st.tuples(st.integers(0, 40), _documents), max_size=12), min_size=1, max_size=3
)


def _written_terms(index: InvertedIndex, candidate_id: int, field: int) -> list[list[str]]:
    text = index.field_text(candidate_id, field)
    return [
        [index.terms.term(ord(char)) for char in value] for value in text.split(VALUE_SEPARATOR)
    ]


@given(_batches)
def test_each_candidate_holds_its_analyzed_terms_as_often_as_they_come(batches):
    index = InvertedIndex()
    latest: dict[int, SearchDocument] = {}
    for batch in batches:
        index.replace(
            [IndexedCandidate(i, doc, frozenset({4}), datetime.now(UTC)) for i, doc in batch]
        )
        latest.update(batch)

    assert index.count == len(latest)
    for number, field in enumerate(FIELDS):
        expected: dict[str, dict[int, int]] = {}
        expected_pairs: dict[tuple[str, str], dict[int, int]] = {}
        for candidate_id, document in latest.items():
            values = document.values(field)
            tokens = [list(analyze(value)) for value in values]
            if values:
                assert _written_terms(index, candidate_id, number) == tokens
            frequencies = Counter(token for value in tokens for token in value)
            for term, frequency in frequencies.items():
                expected.setdefault(term, {})[candidate_id] = frequency
            pairs = Counter(pair for value in tokens for pair in pairwise(value))
            for pair, frequency in pairs.items():
                expected_pairs.setdefault(pair, {})[candidate_id] = frequency
            length = sum(frequencies.values())
            assert index.lengths[number][candidate_id] == length
            assert index.norms[number][candidate_id] == (length_norm(length) if length else 0)
        held = {
            index.terms.term(term_id): postings
            for term_id, postings in index.postings[number].items()
        }
        assert held.keys() == expected.keys()
        for term, holders in expected.items():
            assert list(held[term].ids()) == sorted(holders)
            assert held[term].repeats == {c: f for c, f in holders.items() if f > 1}
        held_pairs = {
            (index.terms.term(ord(key[0])), index.terms.term(ord(key[1]))): postings
            for key, postings in index.pairs[number].items()
        }
        assert held_pairs.keys() == expected_pairs.keys()
        for pair, holders in expected_pairs.items():
            assert list(held_pairs[pair].ids()) == sorted(holders)
            assert held_pairs[pair].repeats == {c: f for c, f in holders.items() if f > 1}
