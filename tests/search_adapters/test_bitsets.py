from hypothesis import given
from hypothesis import strategies as st

from itmj_adapters.search import bitsets

members = st.lists(st.integers(0, 50_000), max_size=3000)


@given(members)
def test_ids_round_trip_through_a_bitset(ids):
    assert bitsets.ids_of(bitsets.from_ids(ids)) == sorted(set(ids))


# Few members against the width (the last one far out), and some bytes holding several: the
# ids are listed from the bytes holding members only.
_FAR = 8 * 100_000 + 3
sparse = st.dictionaries(
    st.integers(0, 99_999), st.sets(st.integers(0, 7), min_size=1), min_size=710, max_size=1000
).map(lambda held: [(byte << 3) + bit for byte, bits in held.items() for bit in bits] + [_FAR])


@given(sparse)
def test_ids_of_a_sparse_set_are_read_from_its_held_bytes(ids):
    bits = bitsets.from_ids(ids)
    assert bits.bit_count() * 40 < bits.bit_length()

    assert bitsets.ids_of(bits) == sorted(set(ids))


@given(members, st.integers(0, 3100), st.integers(0, 3100))
def test_select_skips_then_takes_in_ascending_order(ids, skip, take):
    assert bitsets.select(bitsets.from_ids(ids), skip, take) == sorted(set(ids))[skip:][:take]


@given(members, st.integers(0, 50_000))
def test_contains_tells_membership(ids, candidate):
    assert bitsets.contains(bitsets.from_ids(ids), candidate) == (candidate in ids)


few_ones = st.integers(0, 9).map(lambda draw: draw == 0)


@given(st.lists(st.booleans(), max_size=300) | st.lists(few_ones, max_size=300))
def test_positions_are_where_the_marks_hold_one_however_many(flags):
    marks = bytes(map(int, flags))

    assert bitsets.positions_of(marks) == [
        position for position, flag in enumerate(flags) if flag
    ]
