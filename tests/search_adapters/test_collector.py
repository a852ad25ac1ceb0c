import gc

import pytest

from itmj_adapters.search.collector import collector_paused


@pytest.fixture
def collector_restored():
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_in_the_block_and_running_after_it_even_on_error(
    collector_restored,
):
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError

    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused(collector_restored):
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()

    assert not gc.isenabled()
