"""The Clock port: every rule that depends on time asks one, never the wall clock."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant as a timezone-aware UTC datetime."""
        ...


def epoch_ms_of(clock: Clock) -> Callable[[], int]:
    """A reader of ``clock``'s instant in whole milliseconds since the epoch, as the rate
    limiters count. A clock may offer its own (``epoch_ms``): the system clock's reads the
    time without building a datetime and converting it back, a sixth of the cost, which
    every rate-limited request pays. Any other clock is read through ``now``."""
    own: Callable[[], int] | None = getattr(clock, "epoch_ms", None)
    if own is not None:
        return own
    return lambda: int(clock.now().timestamp() * 1000)
