"""The PostgreSQL limiter leases places as the Redis one does: a busy key costs an entry of its
window per lease, not per request, and no window admits more than the limit across two
processes (two limiters) at random instants, checked window by window."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from psycopg_pool import ConnectionPool

from itmj_adapters.clock import ManualClock
from itmj_adapters.postgres.rate_limiter import PostgresRateLimiter
from itmj_adapters.rate_limit_leases import MAX_LEASED
from itmj_domain.rate_limits import RateLimitPolicy

pytestmark = pytest.mark.postgres

BUSY = RateLimitPolicy("busy", limit=10**6, period_seconds=60)
TIGHT = RateLimitPolicy("tight", limit=120, period_seconds=5)
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def window(pool: ConnectionPool, policy: RateLimitPolicy, subject: str) -> tuple[int, int]:
    """How many entries the window holds, and how many places they count."""
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT cardinality(instants), (SELECT sum(n) FROM unnest(places) AS n)"
            " FROM rate_limit_windows WHERE policy = %s AND subject = %s",
            (policy.name, subject),
        ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_a_busy_key_costs_an_entry_per_lease(clean_database: str, pg_pool) -> None:
    clock = ManualClock(T0)
    limiter = PostgresRateLimiter(pg_pool, clock)
    decisions = []
    for _ in range(1000):
        decisions.append(limiter.hit(BUSY, "k"))
        clock.advance(timedelta(milliseconds=1))

    assert all(decision.allowed for decision in decisions)
    assert [d.remaining for d in decisions[:5]] == list(range(BUSY.limit - 1, BUSY.limit - 6, -1))
    entries, counted = window(pg_pool, BUSY, "k")
    assert entries <= 1000 // MAX_LEASED + 10
    assert 1000 <= counted < 1000 + MAX_LEASED


@pytest.mark.parametrize("seed", range(2))
def test_no_window_admits_more_than_the_limit_across_processes(
    clean_database: str, pg_pool, seed: int
) -> None:
    chance = random.Random(seed)
    clock = ManualClock(T0)
    limiters = [PostgresRateLimiter(pg_pool, clock) for _ in range(2)]
    admitted: list[int] = []
    for _ in range(2000):
        clock.advance(timedelta(milliseconds=chance.choice([0, 1, 2, 5, 40, 400])))
        if chance.choice(limiters).hit(TIGHT, "k").allowed:
            admitted.append(int(clock.now().timestamp() * 1000))

    period_ms = TIGHT.period_seconds * 1000
    start = 0
    for end, instant in enumerate(admitted):
        while admitted[start] <= instant - period_ms:
            start += 1
        assert end - start + 1 <= TIGHT.limit, f"window ending {instant} admitted too many"
    assert len(admitted) > TIGHT.limit


def test_a_key_seen_now_and_then_is_counted_exactly(clean_database: str, pg_pool) -> None:
    clock = ManualClock(T0)
    limiter = PostgresRateLimiter(pg_pool, clock)
    policy = RateLimitPolicy("jobs", limit=100, period_seconds=60)
    for _ in range(30):
        assert limiter.hit(policy, "slow").allowed
        clock.advance(timedelta(seconds=1))
    assert window(pg_pool, policy, "slow") == (30, 30)
