"""The RateLimiter contract: every adapter (in memory, Redis, PostgreSQL) counts the same
sliding window and answers the same figures, driven by the same manual clock."""

from datetime import timedelta

import pytest
from redis import Redis

from itmj_adapters.clock import ManualClock
from itmj_adapters.memory.rate_limiter import MemoryRateLimiter
from itmj_adapters.postgres.rate_limiter import PostgresRateLimiter
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_adapters.redis_rate_limiter import RedisRateLimiter
from itmj_domain.rate_limits import RateLimiter, RateLimitPolicy

SEARCH = RateLimitPolicy("candidate-search", limit=30, period_seconds=60)
THREE = RateLimitPolicy("three", limit=3, period_seconds=10)


@pytest.fixture(params=["memory", "redis", pytest.param("postgres", marks=pytest.mark.postgres)])
def limiter(request: pytest.FixtureRequest, clock: ManualClock) -> RateLimiter:
    if request.param == "memory":
        return MemoryRateLimiter(clock)
    if request.param == "postgres":
        request.getfixturevalue("clean_database")
        uow = PostgresUnitOfWorkFactory(request.getfixturevalue("pg_pool"))
        return PostgresRateLimiter(uow.standalone, clock)
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    request.addfinalizer(redis.close)
    return RedisRateLimiter(redis, clock)


def test_allows_the_limit_then_refuses_with_a_retry_after(limiter: RateLimiter) -> None:
    decisions = [limiter.hit(SEARCH, "7") for _ in range(31)]
    assert [d.allowed for d in decisions] == [True] * 30 + [False]
    assert [d.remaining for d in decisions] == [*range(29, -1, -1), 0]
    refused = decisions[-1]
    assert refused.retry_after_seconds == 60
    assert refused.limit == 30
    assert all(d.retry_after_seconds == 0 and d.reset_seconds == 60 for d in decisions[:30])


def test_a_refused_request_is_not_counted(limiter: RateLimiter, clock: ManualClock) -> None:
    for _ in range(3):
        limiter.hit(THREE, "k")
    clock.advance(timedelta(seconds=5))
    for _ in range(10):
        assert not limiter.hit(THREE, "k").allowed
    clock.advance(timedelta(seconds=5))
    # All three counted requests left the window together; the refusals left no trace.
    assert [limiter.hit(THREE, "k").allowed for _ in range(4)] == [True, True, True, False]


def test_the_window_slides(limiter: RateLimiter, clock: ManualClock) -> None:
    limiter.hit(THREE, "k")
    clock.advance(timedelta(seconds=4))
    limiter.hit(THREE, "k")
    limiter.hit(THREE, "k")
    refused = limiter.hit(THREE, "k")
    assert not refused.allowed
    assert refused.retry_after_seconds == 6
    clock.advance(timedelta(seconds=6))
    again = limiter.hit(THREE, "k")
    assert again.allowed
    assert again.remaining == 0
    # The newest request (just now) leaves the window last, 10 seconds from now.
    assert again.reset_seconds == 10
    assert not limiter.hit(THREE, "k").allowed


def test_retry_after_rounds_up_to_whole_seconds(
    limiter: RateLimiter, clock: ManualClock
) -> None:
    for _ in range(3):
        limiter.hit(THREE, "k")
    clock.advance(timedelta(seconds=9, milliseconds=999))
    refused = limiter.hit(THREE, "k")
    assert (refused.allowed, refused.retry_after_seconds) == (False, 1)
    clock.advance(timedelta(milliseconds=1))
    assert limiter.hit(THREE, "k").allowed


def test_subjects_and_policies_are_counted_apart(limiter: RateLimiter) -> None:
    other_policy = RateLimitPolicy("other", limit=3, period_seconds=10)
    for _ in range(3):
        assert limiter.hit(THREE, "a").allowed
    assert not limiter.hit(THREE, "a").allowed
    assert limiter.hit(THREE, "b").allowed
    assert limiter.hit(other_policy, "a").allowed


def test_an_unused_subject_has_its_whole_quota(limiter: RateLimiter) -> None:
    first = limiter.hit(THREE, "fresh")
    assert (first.allowed, first.remaining, first.reset_seconds, first.enforced) == (
        True, 2, 10, True,
    )
