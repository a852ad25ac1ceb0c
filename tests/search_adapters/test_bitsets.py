from hypothesis import given
from hypothesis import strategies as st

from itmj_adapters.search import bitsets

members = st.lists(st.integers(0, 50_000), max_size=3000)


@given(members)
def test_ids_round_trip_through_a_bitset(ids):
    assert bitsets.ids_of(bitsets.from_ids(ids)) == sorted(set(ids))


@given(members, st.integers(0, 3100), st.integers(0, 3100))
def test_select_skips_then_takes_in_ascending_order(ids, skip, take):
    assert bitsets.select(bitsets.from_ids(ids), skip, take) == sorted(set(ids))[skip:][:take]


@given(members, st.integers(0, 50_000))
def test_contains_tells_membership(ids, candidate):
    assert bitsets.contains(bitsets.from_ids(ids), candidate) == (candidate in ids)
