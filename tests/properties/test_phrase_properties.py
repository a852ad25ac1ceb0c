"""The index's pairs of adjacent terms, and its triples around the joining word, are what the
live candidates' texts hold, whatever was replaced or removed before, and phrases found through
them are those a brute-force search of every placement of the words finds."""

import itertools
from collections import Counter
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from itmj_adapters.search import bitsets
from itmj_adapters.search.documents import FIELDS
from itmj_adapters.search.inverted_index import JOINING_WORD, InvertedIndex
from itmj_adapters.search.matcher import Matcher
from itmj_domain.ports import IndexedCandidate
from itmj_domain.search import SearchDocument, SearchField
from itmj_domain.search.analyzer import analyze
from itmj_domain.search.tree import Phrase

NOW = datetime(2026, 3, 1, tzinfo=UTC)
WORDS = ("high", "low", "voltage", "and", "aws")
# Far apart as well as close: a pair's holders are an array or a bitset by how densely they
# hold it, and both are exercised.
IDS = (0, 1, 2, 3, 5, 8, 40, 41, 300, 2000)

_text = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)
documents = st.builds(
    SearchDocument,
    headline=st.none() | _text,
    summary=st.none() | _text,
    skills=st.lists(_text, max_size=3),
    city=st.none() | _text,
    country=st.none() | _text,
)
_put = st.dictionaries(st.sampled_from(IDS), documents, min_size=1, max_size=5)
writes = st.tuples(
    _put.map(lambda put: ("put", put)),
    st.lists(
        st.one_of(
            _put.map(lambda put: ("put", put)),
            st.sets(st.sampled_from(IDS), max_size=3).map(lambda ids: ("remove", ids)),
        ),
        max_size=5,
    ),
).map(lambda steps: [steps[0], *steps[1]])
# Every two words in either order, with every slop up to a swap and more.
TWO_WORDS = [(pair, slop) for pair in itertools.permutations(WORDS[:4], 2) for slop in range(4)] + [
    ((word, word), slop) for word in WORDS[:2] for slop in range(4)
]


def _values(document: SearchDocument, field: SearchField) -> list[list[str]]:
    """The field's values as their terms."""
    if field is SearchField.SKILLS:
        return [analyze(value) for value in document.skills]
    value = getattr(document, field.value)
    return [] if value is None else [analyze(value)]


def _written(steps) -> tuple[InvertedIndex, dict[int, SearchDocument]]:
    index = InvertedIndex()
    live: dict[int, SearchDocument] = {}
    for kind, change in steps:
        if kind == "put":
            index.replace(
                [IndexedCandidate(number, doc, frozenset(), NOW) for number, doc in change.items()]
            )
            live.update(change)
        else:
            index.remove(sorted(change))
            for number in change:
                live.pop(number, None)
    return index, live


@settings(max_examples=150)
@given(writes)
def test_pairs_are_those_of_the_live_texts_whatever_was_written_before(steps):
    index, live = _written(steps)

    for number, field in enumerate(FIELDS):
        expected: dict[tuple[str, str], dict[int, int]] = {}
        for candidate_id, document in live.items():
            held = Counter(
                pair for terms in _values(document, field) for pair in itertools.pairwise(terms)
            )
            for pair, frequency in held.items():
                expected.setdefault(pair, {})[candidate_id] = frequency
        found = {
            (index.terms.term(ord(key[0])), index.terms.term(ord(key[1]))): postings
            for key, postings in index.pairs[number].items()
        }

        assert found.keys() == expected.keys()
        for pair, postings in found.items():
            holders = expected[pair]
            assert list(postings.ids()) == sorted(holders)
            assert bitsets.ids_of(postings.bits()) == sorted(holders)
            assert postings.count == len(holders)
            assert postings.repeats == {key: count for key, count in holders.items() if count > 1}


@settings(max_examples=150)
@given(writes)
def test_triples_around_the_joining_word_are_those_of_the_live_texts(steps):
    index, live = _written(steps)

    for number, field in enumerate(FIELDS):
        expected: dict[tuple[str, ...], dict[int, int]] = {}
        for candidate_id, document in live.items():
            held = Counter(
                tuple(terms[at - 1 : at + 2])
                for terms in _values(document, field)
                for at in range(1, len(terms) - 1)
                if terms[at] == JOINING_WORD
            )
            for triple, frequency in held.items():
                expected.setdefault(triple, {})[candidate_id] = frequency
        found = {
            tuple(index.terms.term(ord(character)) for character in key): postings
            for key, postings in index.triples[number].items()
        }

        assert found.keys() == expected.keys()
        for triple, postings in found.items():
            holders = expected[triple]
            assert bitsets.ids_of(postings.bits()) == sorted(holders)
            assert postings.count == len(holders)
            assert postings.repeats == {key: count for key, count in holders.items() if count > 1}


def _holds(terms: list[str], words: tuple[str, ...], slop: int) -> bool:
    """Whether some distinct positions of the words in the value put their phrase positions
    (position less the word's place in the phrase) at most ``slop`` apart."""
    places = [[at for at, term in enumerate(terms) if term == word] for word in words]
    for chosen in itertools.product(*places):
        if len(set(chosen)) == len(chosen):
            shifted = [at - place for place, at in enumerate(chosen)]
            if max(shifted) - min(shifted) <= slop:
                return True
    return False


def _exact_count(terms: list[str], words: tuple[str, ...]) -> int:
    size = len(words)
    return sum(tuple(terms[at : at + size]) == words for at in range(len(terms) - size + 1))


@settings(max_examples=150)
@given(
    writes,
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(WORDS), min_size=3, max_size=4).map(tuple),
            st.integers(0, 4),
        ),
        max_size=6,
    ),
    st.sets(st.sampled_from(IDS)),
)
def test_phrases_are_found_as_a_brute_force_search_finds_them(steps, longer, within):
    index, live = _written(steps)
    allowed = within & live.keys()

    for words, slop in TWO_WORDS + longer:
        _assert_found_as_brute_force(index, live, allowed, words, slop)


def _assert_found_as_brute_force(
    index: InvertedIndex,
    live: dict[int, SearchDocument],
    allowed: set[int],
    words: tuple[str, ...],
    slop: int,
) -> None:
    matched = Matcher(index).match(Phrase(words, slop), bitsets.from_ids(sorted(allowed)))

    by_field = {number: (bits, frequencies) for number, bits, frequencies in matched.fields}
    for number, field in enumerate(FIELDS):
        expected = sorted(
            candidate_id
            for candidate_id in allowed
            if any(_holds(terms, words, slop) for terms in _values(live[candidate_id], field))
        )
        bits, frequencies = by_field.get(number, (0, None))
        assert bitsets.ids_of(bits) == expected, (words, slop, field)
        if slop == 0 and expected:
            assert frequencies is not None
            counts = {
                candidate_id: sum(
                    _exact_count(terms, words) for terms in _values(live[candidate_id], field)
                )
                for candidate_id in expected
            }
            assert {
                candidate_id: frequencies.by_holder.get(candidate_id, 1)
                for candidate_id in expected
            } == counts
