"""Rate limiting in PostgreSQL, shared by every process when there is no Redis.

The window of the Redis adapter, counted alike: each (policy, subject) is a row of the unlogged
``rate_limit_windows`` table holding the instants (ms) its places are counted at, and the
function ``itmj_rate_limit_hit`` (migration 0010) drops the places that left the window and
grants what the limit leaves, under the row's lock, so concurrent requests on any process cannot
both take the last place. One round trip, on a connection in autocommit mode.

As with Redis, a busy key is counted a lease of places at a time (``rate_limit_leases``): its
places all count at the lease's end, so a window holds an entry per lease rather than per
request, and a refusal is remembered until its Retry-After.

The store is the database every request needs anyway, so an error is not hidden: the request
fails as it would at its first query.
"""

import threading

from psycopg_pool import ConnectionPool

from itmj_adapters.rate_limit_leases import LEASE_MS, Lease, Leases, Refusals, served
from itmj_domain.clock import Clock
from itmj_domain.rate_limits import RateLimitDecision, RateLimitPolicy, sliding_window_decision

_HIT = "SELECT * FROM itmj_rate_limit_hit(%s, %s, %s, %s, %s, %s, %s)"
_FORGET_IDLE = "DELETE FROM rate_limit_windows WHERE expires_ms <= %s"
# Windows idle for a whole period are deleted every this many calls of a process.
_PRUNE_EVERY = 10_000


class PostgresRateLimiter:
    def __init__(self, pool: ConnectionPool, clock: Clock) -> None:
        self._pool = pool
        self._clock = clock
        self._refusals = Refusals()
        self._leases = Leases()
        self._calls = 0
        self._count_lock = threading.Lock()

    def hit(self, policy: RateLimitPolicy, subject: str) -> RateLimitDecision:
        now_ms = int(self._clock.now().timestamp() * 1000)
        key = (policy.name, subject)
        refused = self._refusals.get(policy, key, now_ms)
        if refused is not None:
            return refused
        lease = self._leases.take(key, now_ms)
        if lease is not None:
            return served(policy, lease, now_ms)
        wanted, size = self._leases.sizes(key, now_ms)
        lease_ms = LEASE_MS if wanted > 1 else 0
        with self._pool.connection() as conn:
            conn.autocommit = True
            row = conn.execute(_HIT, (
                policy.name, subject, now_ms, policy.period_seconds * 1000, policy.limit,
                wanted, lease_ms,
            )).fetchone()
            if self._prune_due():
                conn.execute(_FORGET_IDLE, (now_ms,))
        assert row is not None
        granted, counted, oldest, newest = row
        if not granted:
            self._refusals.remember(policy, key, oldest, newest, now_ms)
            return sliding_window_decision(policy, False, counted, oldest, newest, now_ms)
        lease = Lease(
            started=now_ms, ends=now_ms + lease_ms, granted=granted, counted=counted,
            oldest=oldest, newest=newest, room=policy.limit - counted, size=size,
        )
        self._leases.keep(key, lease)
        return served(policy, lease, now_ms)

    def _prune_due(self) -> bool:
        with self._count_lock:
            self._calls += 1
            return self._calls % _PRUNE_EVERY == 0
