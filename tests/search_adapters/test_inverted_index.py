import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itmj_adapters.memory.candidate_index import MemoryCandidateIndex
from itmj_adapters.search import bitsets
from itmj_adapters.search import postings as postings_module
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.matcher import Matcher
from itmj_adapters.search.postings import DENSE_FROM, Postings
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters
from itmj_domain.search import SearchDocument, parse_query
from itmj_domain.search.tree import Phrase

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def candidate(number: int, text: str) -> IndexedCandidate:
    document = SearchDocument(headline=text, skills=(text, "common"), country="Oman")
    return IndexedCandidate(number, document, frozenset({512}), NOW)


def test_removing_every_candidate_leaves_nothing_behind():
    index = InvertedIndex()
    index.replace(
        [candidate(number, f"word{number % 50} and common") for number in range(3000)]
    )
    Matcher(index).match(parse_query('"word7 and common"'), index.live)

    index.remove(range(3000))

    assert index.count == 0
    assert len(index.terms) == 0
    assert all(not postings for postings in index.postings)
    assert not any(index.pairs)
    assert not any(index.triples)
    assert all(not sets for sets in index.sets.values())
    assert index.doc_count == [0] * 5
    assert index.length_sum == [0] * 5


def test_a_phrase_follows_later_changes():
    index = MemoryCandidateIndex()
    index.upsert([candidate(1, "low voltage"), candidate(2, "voltage low")])
    phrase = ParsedQuery('"low voltage"', parse_query('"low voltage"'))
    assert index.search(phrase, SearchFilters(), 0, 10).candidate_ids == [1]

    index.upsert([candidate(2, "low voltage low voltage"), candidate(3, "low voltage")])
    index.remove([1])

    assert index.search(phrase, SearchFilters(), 0, 10).candidate_ids == [2, 3]


def test_a_settled_index_answers_alike_and_searches_work_out_no_frequencies(monkeypatch):
    texts = ["low voltage low voltage", "voltage low", "low low voltage", "high voltage"]
    people = [candidate(number, texts[number % 4]) for number in range(200)]
    queries = [
        ParsedQuery(text, parse_query(text))
        for text in ('"low voltage"', "low OR voltage", '"low voltage"~2 AND high', "voltage")
    ]
    fresh, settled = MemoryCandidateIndex(), MemoryCandidateIndex()
    fresh.upsert(people)
    settled.upsert(people)
    expected = [fresh.search(query, SearchFilters(), 0, 50) for query in queries]
    settled.settle()
    worked_out = []
    real_of = postings_module.Frequencies.of.__func__
    monkeypatch.setattr(
        postings_module.Frequencies, "of",
        classmethod(lambda cls, by_holder: worked_out.append(by_holder) or real_of(cls, by_holder)),
    )

    answers = [settled.search(query, SearchFilters(), 0, 50) for query in queries]

    assert answers == expected
    assert not worked_out


def test_ids_are_not_negative():
    with pytest.raises(ValueError, match="not negative"):
        InvertedIndex().replace([candidate(-1, "x")])


changes = st.lists(
    st.tuples(
        st.sets(st.integers(0, 3000), max_size=DENSE_FROM + 200),
        st.sets(st.integers(0, 3000), max_size=DENSE_FROM + 200),
    ),
    max_size=4,
)


@given(changes)
def test_postings_hold_the_same_ids_whether_rare_or_common(steps):
    postings = Postings()
    model: set[int] = set()
    for removed, added in steps:
        kept = model - removed
        postings.change(sorted(removed & model), sorted(added - kept), {})
        model = kept | added

        assert list(postings.ids()) == sorted(model)
        assert postings.count == len(model)


def test_searches_running_beside_updates_see_whole_batches():
    index = MemoryCandidateIndex()
    batches = [
        [candidate(batch * 100 + n, f"batch{batch}") for n in range(100)] for batch in range(8)
    ]
    query = ParsedQuery("common", parse_query("common"))
    seen_totals: list[int] = []
    start = threading.Barrier(3)

    def write() -> None:
        start.wait()
        for batch in batches:
            index.upsert(batch)

    def read() -> None:
        start.wait()
        for _ in range(50):
            seen_totals.append(index.search(query, SearchFilters(), 0, 5).total)

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join()

    assert all(total % 100 == 0 for total in seen_totals)
    assert index.search(query, SearchFilters(), 0, 5).total == 800


def test_a_repeated_term_holds_its_pair_as_often_as_it_overlaps():
    index = InvertedIndex()
    index.replace([candidate(1, "aws aws"), candidate(2, "aws aws aws"), candidate(3, "aws")])

    pair = index.pair_postings(0, chr(index.terms.ids["aws"]) * 2)

    assert pair is not None
    assert pair.repeats == {2: 2}
    assert list(pair.ids()) == [1, 2]


def test_a_phrase_that_starts_as_it_ends_is_counted_at_every_start_as_its_pairs_are():
    index = InvertedIndex()
    index.replace(
        [candidate(1, "aws gcp aws gcp aws"), candidate(2, "aws aws aws aws"), candidate(3, "aws")]
    )

    found = {
        words: Matcher(index).match(Phrase(words, 0), index.live).fields[0]
        for words in (("aws", "gcp", "aws"), ("aws", "aws", "aws"))
    }

    assert found["aws", "gcp", "aws"][2].by_holder == {1: 2}
    assert found["aws", "aws", "aws"][2].by_holder == {2: 2}


def test_the_activity_filter_follows_changes_after_a_search():
    index = InvertedIndex()
    monday = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

    def at(number: int, moment: datetime) -> IndexedCandidate:
        return IndexedCandidate(number, SearchDocument(headline="x"), frozenset(), moment)

    index.replace([at(1, monday), at(2, monday + timedelta(days=2)), at(3, monday)])
    since = SearchFilters(active_since=monday + timedelta(hours=1))
    assert bitsets.ids_of(index.filtered(since)) == [2]

    index.replace([at(3, monday + timedelta(days=1, hours=3)), at(4, monday + timedelta(hours=2))])
    index.remove([2])

    assert bitsets.ids_of(index.filtered(since)) == [3, 4]


@given(
    st.lists(
        st.tuples(st.frozensets(st.integers(1, 4), max_size=2), st.integers(0, 20 * 24)),
        min_size=1,
        max_size=40,
    ),
    st.frozensets(st.integers(1, 4), max_size=2),
    st.one_of(st.none(), st.integers(0, 20 * 24)),
)
def test_filters_keep_the_candidates_each_one_lets_through(people, countries, hours):
    monday = datetime(2026, 1, 5, tzinfo=UTC)
    index = InvertedIndex()
    index.replace(
        [
            IndexedCandidate(
                number, SearchDocument(headline="x"), wanted, monday + timedelta(hours=active)
            )
            for number, (wanted, active) in enumerate(people)
        ]
    )
    since = None if hours is None else monday + timedelta(hours=hours, minutes=30)
    expected = [
        number
        for number, (wanted, active) in enumerate(people)
        if (not countries or wanted & countries)
        and (since is None or monday + timedelta(hours=active) >= since)
    ]

    assert bitsets.ids_of(index.filtered(SearchFilters(countries, since))) == expected


def test_texts_replaced_or_removed_are_left_behind_and_searches_still_read_the_live_ones():
    index = InvertedIndex()
    for round_ in range(4):
        words = "low voltage" if round_ % 2 else "voltage low"
        index.replace([candidate(number, f"{words} {round_}") for number in range(60)])
        index.remove([number for number in range(60) if number % 7 == round_])
    for number in range(1200):
        index.replace([candidate(100 + number, "high voltage")])

    matched = Matcher(index).match(parse_query('"low voltage"'), index.live)

    assert bitsets.ids_of(matched.bits) == [number for number in range(60) if number % 7 != 3]
    assert len(index.segments) < 1100
