"""The in-memory matcher agrees with a naive evaluation of the query tree (the reference
evaluator, one document at a time) on generated documents, whatever the candidates it is
restricted to and whatever was replaced or removed before."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from itmj_adapters.search import bitsets
from itmj_adapters.search.inverted_index import InvertedIndex
from itmj_adapters.search.matcher import Matcher
from itmj_domain.ports import IndexedCandidate
from itmj_domain.search import matches, parse_query
from itmj_domain.search.tree import MatchNone, Query
from tests.search_adapters.strategies import documents, queries

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def indexed(candidate_id: int, document) -> IndexedCandidate:
    return IndexedCandidate(candidate_id, document, frozenset(), NOW)


@settings(max_examples=60)
@given(
    st.lists(documents, min_size=1, max_size=8),
    queries | st.just(MatchNone()),
    st.data(),
)
def test_the_matcher_agrees_with_the_reference_evaluator(docs, tree: Query, data):
    by_id = dict(enumerate(docs, start=1))
    index = InvertedIndex()
    index.replace([indexed(number, doc) for number, doc in by_id.items()])
    ids = st.sampled_from(sorted(by_id))
    replaced = data.draw(st.dictionaries(ids, documents, max_size=3), label="replaced")
    index.replace([indexed(number, doc) for number, doc in replaced.items()])
    by_id.update(replaced)
    removed = data.draw(st.sets(ids, max_size=3), label="removed")
    index.remove(sorted(removed))
    for number in removed:
        del by_id[number]
    # The filters' part: the matcher only ever answers within the candidates it is given.
    within = data.draw(st.sets(ids), label="within") & by_id.keys()
    # Printed and parsed, as a partner's query reaches the index.
    parsed = parse_query(tree.to_query_string())

    matched = Matcher(index).match(parsed, bitsets.from_ids(sorted(within)))

    expected = [number for number in sorted(within) if matches(parsed, by_id[number])]
    assert bitsets.ids_of(matched.bits) == expected
