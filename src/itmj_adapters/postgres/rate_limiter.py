"""Rate limiting in PostgreSQL, shared by every process when there is no Redis.

The window of the Redis adapter, counted alike: the unlogged ``rate_limit_hits`` holds the
places a window counts, a row per grant with the instant (ms) they count at, and
``itmj_rate_limit_take`` (migration 0018) drops the places that left the window, grants what
the limit leaves and says what the window then holds, under the lock of the window's row in
``rate_limit_windows``, so concurrent requests on any process cannot both take the last place.
One round trip, on a connection in autocommit mode (the request's own, within a request
scope), and a cost that does not grow with the window.

A round trip per request would cost a busy key as much as the request's own queries, so a
busy key is counted a lease of places at a time, as with Redis (``rate_limit_leases``): the
process serves its next requests from the lease, and no window admits more than the limit all
the same, refusing a little early near the limit at most. A refusal is remembered in the
process until its Retry-After, so a client that keeps knocking costs no round trip either.

The store is the database every request needs anyway, so an error is not hidden: the request
fails as it would at its first query.
"""

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

from psycopg import Connection

from itmj_adapters.rate_limit_leases import LeasedWindows
from itmj_domain.clock import Clock, epoch_ms_of
from itmj_domain.rate_limits import RateLimitDecision, RateLimitPolicy

_TAKE = "SELECT * FROM itmj_rate_limit_take(%s, %s, %s, %s, %s, %s, %s)"
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
        self._epoch_ms = epoch_ms_of(clock)
        self._windows = LeasedWindows()
        self._calls = 0
        self._count_lock = threading.Lock()

    def hit(self, policy: RateLimitPolicy, subject: str) -> RateLimitDecision:
        now_ms = self._epoch_ms()
        return self._windows.hit(policy, subject, now_ms, self._take)

    def _take(
        self, policy: RateLimitPolicy, subject: str, now_ms: int, wanted: int, lease_ms: int
    ) -> tuple[int, int, int, int]:
        with self._connection() as conn:
            row = conn.execute(_TAKE, (
                policy.name, subject, now_ms, policy.period_seconds * 1000, policy.limit,
                wanted, lease_ms,
            )).fetchone()
            if self._prune_due():
                conn.execute(_FORGET_IDLE, (now_ms,))
        assert row is not None
        return row

    def _prune_due(self) -> bool:
        with self._count_lock:
            self._calls += 1
            return self._calls % _PRUNE_EVERY == 0
