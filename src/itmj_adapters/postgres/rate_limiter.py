"""Rate limiting in PostgreSQL, shared by every process when there is no Redis.

The sliding window of the memory and Redis adapters: the unlogged ``rate_limit_hits`` holds the
instant (ms) of each request a window counts, and ``itmj_rate_limit_hit`` (migration 0010)
drops the requests that left the window, counts this one when the limit leaves room and says
what the window then holds, under the lock of the window's row in ``rate_limit_windows``, so
concurrent requests on any process cannot both take the last place. One round trip, on a
connection in autocommit mode (the request's own, within a request scope), and a cost that
does not grow with the window.

A refusal is remembered in the process until its Retry-After, as with Redis, so a client that
keeps knocking costs no round trip.

The store is the database every request needs anyway, so an error is not hidden: the request
fails as it would at its first query.
"""

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

from psycopg import Connection

from itmj_adapters.rate_limit_leases import Refusals
from itmj_domain.clock import Clock
from itmj_domain.rate_limits import RateLimitDecision, RateLimitPolicy, sliding_window_decision

_HIT = "SELECT * FROM itmj_rate_limit_hit(%s, %s, %s, %s, %s)"
# Idle windows and what they still hold, in one statement: a call waiting for the window's row
# then finds it gone and starts afresh.
_FORGET_IDLE = """
WITH idle AS (
    DELETE FROM rate_limit_windows WHERE expires_ms <= %s RETURNING policy, subject
)
DELETE FROM rate_limit_hits AS h USING idle
WHERE h.policy = idle.policy AND h.subject = idle.subject
"""
# Windows idle for a whole period are deleted every this many calls of a process.
_PRUNE_EVERY = 10_000


class PostgresRateLimiter:
    def __init__(
        self, connection: Callable[[], AbstractContextManager[Connection]], clock: Clock
    ) -> None:
        # A connection in autocommit mode (PostgresUnitOfWorkFactory.standalone).
        self._connection = connection
        self._clock = clock
        self._refusals = Refusals()
        self._calls = 0
        self._count_lock = threading.Lock()

    def hit(self, policy: RateLimitPolicy, subject: str) -> RateLimitDecision:
        now_ms = int(self._clock.now().timestamp() * 1000)
        key = (policy.name, subject)
        refused = self._refusals.get(policy, key, now_ms)
        if refused is not None:
            return refused
        with self._connection() as conn:
            row = conn.execute(_HIT, (
                policy.name, subject, now_ms, policy.period_seconds * 1000, policy.limit,
            )).fetchone()
            if self._prune_due():
                conn.execute(_FORGET_IDLE, (now_ms,))
        assert row is not None
        allowed, counted, oldest, newest = row
        if not allowed:
            self._refusals.remember(policy, key, oldest, newest, now_ms)
        return sliding_window_decision(policy, allowed, counted, oldest, newest, now_ms)

    def _prune_due(self) -> bool:
        with self._count_lock:
            self._calls += 1
            return self._calls % _PRUNE_EVERY == 0
