"""Clocks: the system clock for production, a manual one for tests and simulations."""

import threading
import time
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def epoch_ms(self) -> int:
        """``now`` in whole milliseconds since the epoch, read without a datetime."""
        return time.time_ns() // 1_000_000


class ManualClock:
    """Stands still until told to move; starts at a fixed epoch so runs are repeatable."""

    def __init__(self, start: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._now = instant
