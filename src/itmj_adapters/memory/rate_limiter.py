"""Rate limiting in this process's memory: the sliding window of the Redis adapter, kept in a
dict, for a single process (the in-memory backend serves from one)."""

import threading
from collections import deque

from itmj_domain.clock import Clock, epoch_ms_of
from itmj_domain.rate_limits import RateLimitDecision, RateLimitPolicy, sliding_window_decision

# Subjects idle for a whole window are forgotten every this many hits, so the dict holds only
# the keys in use.
_PRUNE_EVERY = 10_000


class MemoryRateLimiter:
    def __init__(self, clock: Clock) -> None:
        self._epoch_ms = epoch_ms_of(clock)
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], deque[int]] = {}
        self._periods: dict[tuple[str, str], int] = {}
        self._hits = 0

    def hit(self, policy: RateLimitPolicy, subject: str) -> RateLimitDecision:
        now_ms = self._epoch_ms()
        period_ms = policy.period_seconds * 1000
        key = (policy.name, subject)
        with self._lock:
            window = self._windows.get(key)
            if window is None:
                window = self._windows[key] = deque()
                self._periods[key] = period_ms
            while window and window[0] <= now_ms - period_ms:
                window.popleft()
            allowed = len(window) < policy.limit
            if allowed:
                window.append(now_ms)
            decision = sliding_window_decision(
                policy, allowed, len(window), window[0] if window else now_ms,
                window[-1] if window else now_ms, now_ms,
            )
            self._hits += 1
            if self._hits % _PRUNE_EVERY == 0:
                self._prune(now_ms)
        return decision

    def _prune(self, now_ms: int) -> None:
        idle = [key for key, window in self._windows.items()
                if not window or window[-1] <= now_ms - self._periods[key]]
        for key in idle:
            del self._windows[key]
            del self._periods[key]
