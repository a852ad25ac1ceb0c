from array import array

from hypothesis import given
from hypothesis import strategies as st

from itmj_adapters.search.gathering import gathered

values = st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=200)


@given(values, st.data())
def test_gathers_the_values_at_the_ids_in_their_order_however_many(numbers, data):
    ids = data.draw(st.lists(st.integers(0, len(numbers) - 1), max_size=50))
    held = array("I", numbers)

    assert list(gathered(held, ids)) == [numbers[i] for i in ids]
