"""A busy key is counted a lease of places at a time, and no window ever admits more than the
limit: requests of two processes (two limiters, each with its own connection) at random
instants, checked window by window."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis

from itmj_adapters.clock import ManualClock
from itmj_adapters.rate_limit_leases import MAX_LEASED
from itmj_adapters.redis_rate_limiter import RedisRateLimiter
from itmj_domain.rate_limits import RateLimitPolicy

BUSY = RateLimitPolicy("busy", limit=10**6, period_seconds=60)
# Room enough for leases of a few places, small enough to reach the limit often.
TIGHT = RateLimitPolicy("tight", limit=120, period_seconds=5)


@pytest.fixture
def redis(redis_url: str):
    client = Redis.from_url(redis_url)
    yield client
    client.close()


def script_calls(redis: Redis) -> int:
    stats = redis.info("commandstats")
    return sum(stats.get(name, {}).get("calls", 0) for name in ("cmdstat_evalsha",
                                                               "cmdstat_eval"))


def test_a_busy_key_asks_redis_once_per_lease_not_once_per_request(redis: Redis) -> None:
    clock = ManualClock(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    limiter = RedisRateLimiter(redis, clock)
    before = script_calls(redis)

    decisions = []
    for _ in range(1000):
        decisions.append(limiter.hit(BUSY, "k"))
        clock.advance(timedelta(milliseconds=1))

    assert all(decision.allowed for decision in decisions)
    calls = script_calls(redis) - before
    assert calls <= 1000 // MAX_LEASED + 10
    # The window counts a place for each request served, and no more than the last lease.
    counted = redis.zcard("itmj:ratelimit:busy:k")
    assert 1000 <= counted < 1000 + MAX_LEASED


def test_remaining_falls_by_one_per_request_within_a_process(redis: Redis) -> None:
    clock = ManualClock(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    limiter = RedisRateLimiter(redis, clock)

    remaining = [limiter.hit(BUSY, "r").remaining for _ in range(200)]

    assert remaining == list(range(BUSY.limit - 1, BUSY.limit - 201, -1))


@pytest.mark.parametrize("seed", range(4))
def test_no_window_admits_more_than_the_limit_across_processes(
    redis: Redis, redis_url: str, seed: int
) -> None:
    chance = random.Random(seed)
    clock = ManualClock(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    clients = [Redis.from_url(redis_url) for _ in range(2)]
    limiters = [RedisRateLimiter(client, clock) for client in clients]
    admitted: list[int] = []
    try:
        for _ in range(3000):
            # Bursts and pauses: busy enough to lease, quiet enough for leases to lapse.
            clock.advance(timedelta(milliseconds=chance.choice([0, 1, 2, 5, 40, 400])))
            if chance.choice(limiters).hit(TIGHT, "k").allowed:
                admitted.append(int(clock.now().timestamp() * 1000))
    finally:
        for client in clients:
            client.close()

    period_ms = TIGHT.period_seconds * 1000
    start = 0
    for end, instant in enumerate(admitted):
        while admitted[start] <= instant - period_ms:
            start += 1
        assert end - start + 1 <= TIGHT.limit, f"window ending {instant} admitted too many"
    # Leases refuse a little early at most: a window that refused still admitted nearly all.
    assert len(admitted) > TIGHT.limit


def test_a_key_seen_now_and_then_is_counted_exactly(redis: Redis) -> None:
    clock = ManualClock(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    limiter = RedisRateLimiter(redis, clock)
    policy = RateLimitPolicy("jobs", limit=100, period_seconds=60)

    for _ in range(30):
        assert limiter.hit(policy, "slow").allowed
        clock.advance(timedelta(seconds=1))

    assert redis.zcard("itmj:ratelimit:jobs:slow") == 30
