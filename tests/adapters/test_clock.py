"""The clocks read in whole milliseconds, as the rate limiters count: the system clock's own
reading agrees with its datetime, and any other clock is read through ``now``."""

from datetime import UTC, datetime, timedelta

from itmj_adapters.clock import ManualClock, SystemClock
from itmj_domain.clock import epoch_ms_of


def test_the_system_clock_reads_milliseconds_as_its_datetime_says():
    clock = SystemClock()
    before = int(clock.now().timestamp() * 1000)
    read = epoch_ms_of(clock)()
    after = int(clock.now().timestamp() * 1000)
    assert before <= read <= after


def test_a_clock_without_its_own_reading_is_read_through_now():
    clock = ManualClock(datetime(2026, 3, 1, 12, 0, 0, 123_999, tzinfo=UTC))
    read = epoch_ms_of(clock)
    assert read() == 1_772_366_400_123
    clock.advance(timedelta(seconds=2))
    assert read() == 1_772_366_402_123
