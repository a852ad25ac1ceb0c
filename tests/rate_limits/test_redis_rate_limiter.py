"""The Redis limiter's own duties: shared state under concurrency, expiring namespaced keys,
and failing open when Redis is down."""

import logging
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError

from itmj_adapters.clock import ManualClock, SystemClock
from itmj_adapters.redis_rate_limiter import KEY_PREFIX, RETRY_AFTER_FAILURE, RedisRateLimiter
from itmj_domain.rate_limits import RateLimitPolicy

POLICY = RateLimitPolicy("jobs", limit=50, period_seconds=60)


@pytest.fixture
def redis(redis_url: str):
    client = Redis.from_url(redis_url)
    yield client
    client.close()


def test_concurrent_limiters_share_one_window(redis: Redis, redis_url: str) -> None:
    """Eight limiters (as eight processes would have), each with its own connection, racing
    for 50 places: exactly 50 get one."""
    clients = [Redis.from_url(redis_url) for _ in range(8)]
    limiters = [RedisRateLimiter(client, SystemClock()) for client in clients]
    allowed = []
    start = threading.Barrier(len(limiters))

    def run(limiter: RedisRateLimiter) -> None:
        start.wait()
        allowed.extend(limiter.hit(POLICY, "k").allowed for _ in range(20))

    threads = [threading.Thread(target=run, args=(limiter,)) for limiter in limiters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    assert allowed.count(True) == 50
    assert allowed.count(False) == 8 * 20 - 50


def test_windows_are_namespaced_and_expire(redis: Redis) -> None:
    RedisRateLimiter(redis, SystemClock()).hit(POLICY, "42")
    (key,) = redis.keys("*")
    assert key.decode() == f"{KEY_PREFIX}jobs:42"
    assert 0 < redis.pttl(key) <= 60_000


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_fails_open_and_warns_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    clock = ManualClock()
    down = Redis.from_url(f"redis://127.0.0.1:{_closed_port()}/0", socket_connect_timeout=0.5)
    limiter = RedisRateLimiter(down, clock)
    caplog.set_level(logging.WARNING, logger="itmj_adapters.redis_rate_limiter")
    decisions = []
    for _ in range(200):
        decisions.append(limiter.hit(POLICY, "k"))
        clock.advance(timedelta(seconds=1))
    assert all(d.allowed and not d.enforced for d in decisions)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    # 200 seconds of requests: a warning at 0s, 60s, 120s and 180s.
    assert len(warnings) == 4
    assert "rate limits not enforced" in warnings[0].getMessage()
    with pytest.raises(RedisError):
        limiter.check()
    down.close()


@contextmanager
def redis_server(port: int, tmp_path: Path):
    """A Redis server of this test's own, to take down and bring back."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        client = Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except RedisError:
                time.sleep(0.05)
        client.close()
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_counts_again_once_redis_is_back(tmp_path: Path) -> None:
    clock = ManualClock()
    port = _closed_port()
    client = Redis(port=port, socket_connect_timeout=0.5)
    limiter = RedisRateLimiter(client, clock)
    with redis_server(port, tmp_path):
        assert limiter.hit(POLICY, "k").enforced
    assert not limiter.hit(POLICY, "k").enforced
    with redis_server(port, tmp_path):
        # Redis is not asked again until a few seconds after the failure.
        assert not limiter.hit(POLICY, "k").enforced
        clock.advance(RETRY_AFTER_FAILURE)
        decision = limiter.hit(POLICY, "k")
        assert decision.enforced
        limiter.check()
    client.close()


def test_a_refusal_is_answered_in_process_until_its_retry_after(redis: Redis) -> None:
    """Refused once, the key is refused without asking Redis (here emptied behind the
    limiter's back) until the oldest request leaves the window; then Redis decides again."""
    clock = ManualClock()
    policy = RateLimitPolicy("few", limit=2, period_seconds=10)
    limiter = RedisRateLimiter(redis, clock)
    limiter.hit(policy, "k")
    clock.advance(timedelta(seconds=3))
    limiter.hit(policy, "k")
    first_refusal = limiter.hit(policy, "k")
    redis.flushdb()
    clock.advance(timedelta(seconds=6))
    remembered = limiter.hit(policy, "k")
    assert (first_refusal.allowed, first_refusal.retry_after_seconds,
            first_refusal.reset_seconds) == (False, 7, 10)
    assert (remembered.allowed, remembered.retry_after_seconds,
            remembered.reset_seconds, remembered.remaining) == (False, 1, 4, 0)
    clock.advance(timedelta(seconds=1))
    after = limiter.hit(policy, "k")
    assert (after.allowed, after.remaining) == (True, 1)
