"""The in-memory engine's work budget (SPEC §11): a search spends work that grows with the
holders of its rarer words and with what its multi-term leaves examine; past the budget it is
refused as too expensive. The work is counted, so the same query on the same data is refused
every time or never, whatever searches ran before and filled the index's caches."""

from datetime import UTC, datetime

import pytest

from itmj_adapters.memory.candidate_index import MemoryCandidateIndex
from itmj_adapters.search import bitsets, work
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.matcher import Matcher
from itmj_adapters.search.work import WORK_BUDGET
from itmj_domain.ports import IndexedCandidate, ParsedQuery, SearchFilters
from itmj_domain.search import QueryTooExpensive, SearchDocument, parse_query
from itmj_domain.search.budget import WorkBudget
from tests.refusals import refused

NOW = datetime(2026, 1, 1, tzinfo=UTC)
STOP_WORDS = ["on", "with", "and", "in", "of"]
# The longest summary a candidate may have, in the words every CV is full of.
LONG_SUMMARY = (" ".join(STOP_WORDS) + " ") * 1100
# Issue 12's query, cut to the 32 terms a phrase may hold: every pair of neighbours stands
# close in those summaries, the whole phrase nowhere.
BACKWARDS = '"' + " ".join(STOP_WORDS[::-1] * 6 + ["of", "in"]) + '"~2'


def candidate(number: int, summary: str, skills: tuple[str, ...] = ()) -> IndexedCandidate:
    document = SearchDocument(headline="Engineer", summary=summary, skills=skills)
    return IndexedCandidate(number, document, frozenset(), NOW)


def spent(index: InvertedIndex, text: str) -> int:
    budget = WorkBudget(10**12)
    Matcher(index, budget).match(parse_query(text), index.live)
    return budget.spent


def test_a_phrase_of_common_words_over_long_texts_is_refused_as_too_expensive():
    index = MemoryCandidateIndex()
    index.upsert([candidate(number, LONG_SUMMARY[:20_000]) for number in range(1, 41)])

    with refused(QueryTooExpensive) as raised:
        index.search(ParsedQuery(BACKWARDS, parse_query(BACKWARDS)), SearchFilters(), 0, 20)

    assert raised.value.message.startswith("query too expensive: ")
    assert raised.value.position is None


def test_the_same_phrase_over_few_candidates_is_answered():
    index = MemoryCandidateIndex()
    index.upsert([candidate(number, LONG_SUMMARY[:20_000]) for number in range(1, 4)])
    forwards = '"' + " ".join(STOP_WORDS * 6 + ["on", "with"]) + '"~1000'

    for text, total in ((BACKWARDS, 0), (forwards, 3)):
        hits = index.search(ParsedQuery(text, parse_query(text)), SearchFilters(), 0, 20)
        assert hits.total == total


def test_a_search_spends_the_same_whatever_ran_before():
    index = InvertedIndex()
    index.replace(
        [
            candidate(number, f"{LONG_SUMMARY[:300]} kubernetes{number % 7}", ("AWS", "GCP"))
            for number in range(1, 301)
        ]
    )
    texts = [
        '"with and"',
        '"on with and in"',
        '"with and"~3 OR "in of on"~4',
        "kube* OR /kubernetes[0-3]/ OR kubernetes~2 OR *netes5 OR [a TO b]",
        BACKWARDS,
    ]

    cold = [spent(index, text) for text in texts]

    assert all(cold)
    assert [spent(index, text) for text in texts] == cold
    assert [spent(index, text) for text in reversed(texts)] == cold[::-1]


def test_the_budget_is_a_limit_on_the_work_counted():
    index = InvertedIndex()
    index.replace([candidate(number, LONG_SUMMARY[:2_000]) for number in range(1, 21)])
    text = '"in of on with"~5 AND engin*'
    query = parse_query(text)
    needed = spent(index, text)

    assert Matcher(index, WorkBudget(needed)).match(query, index.live).bits == index.live
    with refused(QueryTooExpensive):
        Matcher(index, WorkBudget(needed - 1)).match(query, index.live)


@pytest.mark.parametrize(
    "text",
    ["*a*", "/.*e.*/", "a0001~2", "[a TO m]", "a*", "*a* OR *e* OR *i* OR *o*"],
)
def test_a_multi_term_query_over_a_large_vocabulary_is_refused_before_its_walk(text):
    index = InvertedIndex()
    words = (f"{chr(97 + n % 26)}{n:06}{chr(97 + n * 7 % 26)}e" for n in range(60_000))
    index.replace(
        [candidate(number, " ".join(next(words) for _ in range(20))) for number in range(3000)]
    )

    with refused(QueryTooExpensive):
        Matcher(index, WorkBudget(WORK_BUDGET // 50)).match(parse_query(text), index.live)


def test_a_long_exact_phrase_is_counted_only_where_its_pairs_may_not_be_chained():
    """Only the texts holding every pair of the phrase and one of its inner words more than
    once are looked at."""
    phrase = "testing with commissioning"
    headlines = {
        range(1, 21): f"{phrase} with handover",
        range(21, 41): "commissioning testing with",
        range(41, 61): phrase,
    }
    index = InvertedIndex()
    index.replace(
        [
            IndexedCandidate(number, SearchDocument(headline=headline), frozenset(), NOW)
            for numbers, headline in headlines.items()
            for number in numbers
        ]
        + [
            IndexedCandidate(
                number, SearchDocument(skills=("testing", "with commissioning")), frozenset(), NOW
            )
            for number in range(61, 81)
        ]
    )
    ids = index.terms.ids
    pairs = [
        chr(ids["testing"]) + chr(ids["with"]),
        chr(ids["with"]) + chr(ids["commissioning"]),
    ]
    held = [index.pair_postings(0, pair) for pair in pairs]
    assert None not in held
    lookups = work.LOOKUP * len(pairs) * len(index.pairs)
    budget = WorkBudget(10**12)

    matched = Matcher(index, budget).match(parse_query(f'"{phrase}"'), index.live)

    assert bitsets.ids_of(matched.bits) == [*range(1, 21), *range(41, 61)]
    assert budget.spent == (
        lookups + work.joining(held) + work.SET_OPERATION + work.scan(20, 20 * 5)
    )


def test_a_phrase_of_three_words_around_the_joining_word_is_a_lookup_of_its_triple():
    """No text is looked at, however often the joining word comes in a field."""
    phrase = "testing and commissioning"
    headlines = {
        range(1, 21): f"{phrase} and handover and support",
        range(21, 41): "commissioning and testing and",
        range(41, 61): f"{phrase} or {phrase}",
    }
    index = InvertedIndex()
    index.replace(
        [
            IndexedCandidate(number, SearchDocument(headline=headline), frozenset(), NOW)
            for numbers, headline in headlines.items()
            for number in numbers
        ]
    )
    ids = index.terms.ids
    triple = index.triple_postings(0, "".join(chr(ids[word]) for word in phrase.split()))
    assert triple is not None
    budget = WorkBudget(10**12)

    matched = Matcher(index, budget).match(parse_query(f'"{phrase}"'), index.live)

    assert bitsets.ids_of(matched.bits) == [*range(1, 21), *range(41, 61)]
    assert matched.fields[0][2].by_holder == dict.fromkeys(range(41, 61), 2)
    assert budget.spent == work.LOOKUP * len(index.triples) + work.joining([triple])
