"""A busy key is counted a lease of places at a time, in Redis and in PostgreSQL alike, and no
window ever admits more than the limit: requests of several processes (limiters, each with its
own leases) at random instants, checked window by window, against what each request was told
and against what the store recorded."""

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from psycopg_pool import ConnectionPool
from redis import Redis

from itmj_adapters.clock import ManualClock
from itmj_adapters.postgres.rate_limiter import PostgresRateLimiter
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_adapters.rate_limit_leases import LEASE_MS, MAX_LEASED, Lease, Leases
from itmj_adapters.redis_rate_limiter import KEY_PREFIX, RedisRateLimiter
from itmj_domain.clock import Clock
from itmj_domain.rate_limits import RateLimiter, RateLimitPolicy

BUSY = RateLimitPolicy("busy", limit=10**6, period_seconds=60)
# Room enough for leases of a few places, small enough to reach the limit often.
TIGHT = RateLimitPolicy("tight", limit=120, period_seconds=5)
JOBS = RateLimitPolicy("jobs", limit=100, period_seconds=60)
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@attrs.frozen
class Store:
    # A limiter of a process of its own (its own leases and refusals) over the shared store.
    limiter: Callable[[Clock], RateLimiter]
    # What the store holds for a window: (instant in ms, places) for each grant it recorded,
    # that is for each round trip that took places.
    recorded: Callable[[RateLimitPolicy, str], list[tuple[int, int]]]


def _redis_store(redis_url: str) -> Iterator[Store]:
    clients: list[Redis] = []

    def limiter(clock: Clock) -> RateLimiter:
        clients.append(Redis.from_url(redis_url))
        return RedisRateLimiter(clients[-1], clock)

    def recorded(policy: RateLimitPolicy, subject: str) -> list[tuple[int, int]]:
        # Members are "<call>:<place>", the places of one call sharing its instant.
        members = clients[0].zrange(f"{KEY_PREFIX}{policy.name}:{subject}", 0, -1,
                                    withscores=True)
        grants = Counter((member.decode().rsplit(":", 1)[0], int(at)) for member, at in members)
        return sorted((at, places) for (_, at), places in grants.items())

    clients.append(Redis.from_url(redis_url))
    yield Store(limiter, recorded)
    for client in clients:
        client.close()


def _postgres_store(pool: ConnectionPool) -> Store:
    connection = PostgresUnitOfWorkFactory(pool).standalone

    def recorded(policy: RateLimitPolicy, subject: str) -> list[tuple[int, int]]:
        with pool.connection() as conn:
            rows = conn.execute(
                "SELECT at_ms, places FROM rate_limit_hits WHERE policy = %s AND subject = %s"
                " ORDER BY at_ms", (policy.name, subject),
            ).fetchall()
        return [(at, places) for at, places in rows]

    return Store(lambda clock: PostgresRateLimiter(connection, clock), recorded)


@pytest.fixture(params=["redis", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "postgres":
        request.getfixturevalue("clean_database")
        yield _postgres_store(request.getfixturevalue("pg_pool"))
    else:
        yield from _redis_store(request.getfixturevalue("redis_url"))


def _most_in_a_window(policy: RateLimitPolicy, admitted: list[int]) -> int:
    """The most requests any window of the policy holds, given the instants (ms) admitted."""
    admitted = sorted(admitted)
    period_ms = policy.period_seconds * 1000
    most = start = 0
    for end, instant in enumerate(admitted):
        while admitted[start] <= instant - period_ms:
            start += 1
        most = max(most, end - start + 1)
    return most


def test_a_busy_key_asks_the_store_once_per_lease_not_once_per_request(store: Store) -> None:
    clock = ManualClock(T0)
    limiter = store.limiter(clock)

    decisions = []
    for _ in range(1000):
        decisions.append(limiter.hit(BUSY, "k"))
        clock.advance(timedelta(milliseconds=1))

    assert all(decision.allowed for decision in decisions)
    # Nothing was refused, so the store recorded one grant per round trip.
    grants = store.recorded(BUSY, "k")
    assert len(grants) <= 1000 // MAX_LEASED + 10
    # The window counts a place for each request served, and no more than the last lease.
    assert 1000 <= sum(places for _, places in grants) < 1000 + MAX_LEASED


def test_remaining_falls_by_one_per_request_within_a_process(store: Store) -> None:
    limiter = store.limiter(ManualClock(T0))

    remaining = [limiter.hit(BUSY, "r").remaining for _ in range(200)]

    assert remaining == list(range(BUSY.limit - 1, BUSY.limit - 201, -1))


@pytest.mark.parametrize("seed", range(4))
def test_no_window_admits_more_than_the_limit_across_processes(store: Store, seed: int) -> None:
    chance = random.Random(seed)
    clock = ManualClock(T0)
    limiters = [store.limiter(clock) for _ in range(2)]
    admitted: list[int] = []

    for _ in range(3000):
        # Bursts and pauses: busy enough to lease, quiet enough for leases to lapse.
        clock.advance(timedelta(milliseconds=chance.choice([0, 1, 2, 5, 40, 400])))
        if chance.choice(limiters).hit(TIGHT, "k").allowed:
            admitted.append(int(clock.now().timestamp() * 1000))

    assert _most_in_a_window(TIGHT, admitted) <= TIGHT.limit
    # Leases refuse a little early at most: a window that refused still admitted nearly all.
    assert len(admitted) > TIGHT.limit


def test_threads_hammering_one_key_never_get_more_than_the_limit_in_a_minute(
    store: Store,
) -> None:
    """Four processes' limiters on threads of their own race for one key's places at each
    instant, then the clock moves on: bursts several windows long. Every minute holds at most
    the limit, as the threads were told and as the store recorded it."""
    threads, rounds = 4, 300
    clock = ManualClock(T0)
    chance = random.Random(7)
    admitted: list[int] = []
    # After each round: the instant, and what the store recorded for the window then.
    seen: list[tuple[int, list[tuple[int, int]]]] = []

    def next_round() -> None:
        seen.append((int(clock.now().timestamp() * 1000), store.recorded(JOBS, "k")))
        clock.advance(timedelta(milliseconds=chance.choice([0, 5, 100, 1000, 3000])))

    barrier = threading.Barrier(threads, action=next_round)

    def run(limiter: RateLimiter, requests_per_round: int) -> None:
        try:
            for _ in range(rounds):
                for _ in range(requests_per_round):
                    if limiter.hit(JOBS, "k").allowed:
                        admitted.append(int(clock.now().timestamp() * 1000))
                barrier.wait()
        except BaseException:
            # The other threads would wait for this one for ever.
            barrier.abort()
            raise

    limiters = [store.limiter(clock) for _ in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        runs = [pool.submit(run, limiter, n) for n, limiter in enumerate(limiters, start=1)]
    for finished in runs:
        finished.result()

    assert _most_in_a_window(JOBS, admitted) <= JOBS.limit
    period_ms = JOBS.period_seconds * 1000
    for now, grants in seen:
        # The places still in the window then: those counted at a lease's end included.
        assert sum(places for at, places in grants if at > now - period_ms) <= JOBS.limit
        assert all(at <= now + LEASE_MS for at, _ in grants)
    # Leases refuse a little early at most: the threads asked for far more than the limit,
    # and still got at least a limit's worth a minute.
    minutes = (seen[-1][0] - seen[0][0]) // period_ms
    assert minutes >= 3
    assert len(admitted) >= minutes * JOBS.limit


def test_leases_two_threads_of_a_process_took_at_once_are_both_served() -> None:
    """Threads that found no place left at once each took a lease; the next requests are
    served from either until both are spent, so neither's places go unused."""
    leases, key = Leases(), ("jobs", "k")
    first, second = (
        Lease(started=0, ends=LEASE_MS, granted=4, counted=counted, oldest=LEASE_MS,
              newest=LEASE_MS, room=JOBS.limit - counted, size=4)
        for counted in (4, 8)
    )
    leases.keep(key, first)
    leases.keep(key, second)

    # Each lease's first place served the thread that took it.
    assert [leases.take(key, 1) for _ in range(7)] == [first] * 3 + [second] * 3 + [None]
    assert leases.take(key, LEASE_MS) is None


def test_a_key_seen_now_and_then_is_counted_exactly(store: Store) -> None:
    clock = ManualClock(T0)
    limiter = store.limiter(clock)
    started = int(clock.now().timestamp() * 1000)

    for _ in range(30):
        assert limiter.hit(JOBS, "slow").allowed
        clock.advance(timedelta(seconds=1))

    assert store.recorded(JOBS, "slow") == [(started + n * 1000, 1) for n in range(30)]


@pytest.mark.postgres
def test_the_postgres_window_row_says_what_its_rows_hold(
    clean_database: str, pg_pool: ConnectionPool
) -> None:
    """The window row's places, newest instant and expiry, which the next call starts from,
    match the rows after every request: leases, refusals and places leaving the window."""
    store = _postgres_store(pg_pool)
    chance = random.Random(11)
    clock = ManualClock(T0)
    limiters = [store.limiter(clock) for _ in range(2)]
    period_ms = TIGHT.period_seconds * 1000

    for _ in range(1000):
        clock.advance(timedelta(milliseconds=chance.choice([0, 1, 2, 5, 40, 400])))
        chance.choice(limiters).hit(TIGHT, "k")
        with pg_pool.connection() as conn:
            window = conn.execute(
                "SELECT places, latest, expires_ms FROM rate_limit_windows"
                " WHERE policy = %s AND subject = %s", (TIGHT.name, "k"),
            ).fetchone()
        grants = store.recorded(TIGHT, "k")
        assert window is not None
        if grants:
            newest = max(at for at, _ in grants)
            assert window == (sum(places for _, places in grants), newest, newest + period_ms)
        else:
            assert window[0] == 0
