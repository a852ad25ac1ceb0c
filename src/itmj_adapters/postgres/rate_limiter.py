"""Rate limiting in PostgreSQL, shared by every process when there is no Redis.

The sliding window of the Redis and memory adapters: each (policy, subject) is a row of the
unlogged ``rate_limit_windows`` table holding the instants (ms) of the requests counted in the
current window. One statement drops the instants that left the window, adds this request's when
there is room and says which happened: the row lock of ``ON CONFLICT DO UPDATE`` serialises
concurrent requests for one key, on any process, so two cannot both take the last place. One
round trip, on a connection in autocommit mode.

The store is the database every request needs anyway, so an error is not hidden: the request
fails as it would at its first query.
"""

import secrets
import threading

from psycopg_pool import ConnectionPool

from itmj_domain.clock import Clock
from itmj_domain.rate_limits import RateLimitDecision, RateLimitPolicy, sliding_window_decision

_KEPT = """ARRAY(SELECT h FROM unnest(w.hits) AS h
                  WHERE h > %(now)s::bigint - %(period)s ORDER BY h)"""
_ROOM = f"cardinality({_KEPT}) < %(limit)s"
_HIT = f"""
INSERT INTO rate_limit_windows AS w (policy, subject, hits, last_token, expires_ms)
VALUES (%(policy)s, %(subject)s, ARRAY[%(now)s::bigint], %(token)s, %(now)s::bigint + %(period)s)
ON CONFLICT (policy, subject) DO UPDATE SET
    hits = CASE WHEN {_ROOM} THEN {_KEPT} || %(now)s::bigint ELSE {_KEPT} END,
    last_token = CASE WHEN {_ROOM} THEN %(token)s ELSE w.last_token END,
    expires_ms = CASE WHEN {_ROOM} THEN %(now)s::bigint + %(period)s ELSE w.expires_ms END
RETURNING last_token = %(token)s, cardinality(hits), hits[1], hits[cardinality(hits)]
"""
_FORGET_IDLE = "DELETE FROM rate_limit_windows WHERE expires_ms <= %s"
# Windows idle for a whole period are deleted every this many hits of a process.
_PRUNE_EVERY = 10_000


class PostgresRateLimiter:
    def __init__(self, pool: ConnectionPool, clock: Clock) -> None:
        self._pool = pool
        self._clock = clock
        self._hits = 0
        self._count_lock = threading.Lock()

    def hit(self, policy: RateLimitPolicy, subject: str) -> RateLimitDecision:
        now_ms = int(self._clock.now().timestamp() * 1000)
        with self._pool.connection() as conn:
            conn.autocommit = True
            row = conn.execute(_HIT, {
                "policy": policy.name, "subject": subject, "now": now_ms,
                "period": policy.period_seconds * 1000, "limit": policy.limit,
                "token": secrets.token_hex(8),
            }).fetchone()
            if self._prune_due():
                conn.execute(_FORGET_IDLE, (now_ms,))
        assert row is not None
        allowed, counted, oldest, newest = row
        return sliding_window_decision(policy, allowed, counted, oldest, newest, now_ms)

    def _prune_due(self) -> bool:
        with self._count_lock:
            self._hits += 1
            return self._hits % _PRUNE_EVERY == 0
