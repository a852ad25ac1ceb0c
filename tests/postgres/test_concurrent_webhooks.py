"""Leases and the outbox on real PostgreSQL, under real concurrency: threads with a
connection each lease the same deliveries and relay the same outbox at once."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg
import pytest

from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_domain.events import Event, JobExpired
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from tests.contract.seed import T0, Seed
from tests.secret_keys import TEST_KEY_RING

pytestmark = pytest.mark.postgres

THREADS = 8
DELIVERIES = 200
CAP = 50
NOW = T0 + timedelta(seconds=1)
UNTIL = NOW + timedelta(seconds=60)
# Only guards against a hang when a thread dies before the barrier; never reached otherwise.
SAFETY_TIMEOUT_SECONDS = 60


@pytest.fixture
def own_connections(clean_database):
    """A unit of work factory with a connection for every thread."""
    pool = open_pool(clean_database, max_size=THREADS + 1)
    yield PostgresUnitOfWorkFactory(pool, TEST_KEY_RING)
    pool.close()


@pytest.fixture
def seed(clean_database, pg_pool) -> Seed:
    return Seed(PostgresUnitOfWorkFactory(pg_pool, TEST_KEY_RING))


@pytest.fixture
def due_deliveries(seed) -> tuple[int, list[str]]:
    """One subscription's deliveries, all due: (subscription id, delivery ids)."""
    employer = seed.employer()
    subscription = seed.subscription(employer.id)
    event = seed.event(employer.id)
    return subscription.id, [d.id for d in seed.deliveries(subscription.id, event.id, DELIVERIES)]


def _live_leases(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM webhook_deliveries WHERE leased_until > %s", [NOW]
        ).fetchone()
    return row[0]


def _rotated(ids: list[str], by: int) -> list[str]:
    return ids[by:] + ids[:by]


def test_concurrent_leases_of_overlapping_batches_never_pass_the_cap(
    own_connections, due_deliveries, clean_database
):
    _, ids = due_deliveries
    start = threading.Barrier(THREADS)

    def lease(batch: list[str]) -> list[str]:
        with own_connections() as uow:
            start.wait(SAFETY_TIMEOUT_SECONDS)
            leased = uow.deliveries.lease(batch, NOW, UNTIL, CAP)
            uow.commit()
        return [delivery.id for delivery in leased]

    batches = [_rotated(ids, n * DELIVERIES // THREADS) for n in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as threads:
        claims = list(threads.map(lease, batches))

    claimed = [delivery_id for claim in claims for delivery_id in claim]
    assert len(claimed) == CAP
    assert len(set(claimed)) == CAP
    assert _live_leases(clean_database) == CAP


def test_racing_lease_and_record_sends_each_delivery_once_within_the_cap(
    own_connections, due_deliveries, clean_database
):
    subscription_id, _ = due_deliveries
    batch = 20
    claimed: list[str] = []
    live_after_each_lease: list[int] = []
    start = threading.Barrier(THREADS)

    def work(offset: int) -> None:
        start.wait(SAFETY_TIMEOUT_SECONDS)
        while True:
            with own_connections(read_only=True) as uow:
                due = list(uow.deliveries.due(NOW, DELIVERIES))
            if not due:
                return
            with own_connections() as uow:
                leased = uow.deliveries.lease(
                    _rotated(due, offset % len(due))[:batch], NOW, UNTIL, CAP
                )
                uow.commit()
            live_after_each_lease.append(_live_leases(clean_database))
            claimed.extend(delivery.id for delivery in leased)
            with own_connections() as uow:
                for delivery in leased:
                    uow.deliveries.save_all([delivery.succeeded(NOW)])
                uow.commit()

    with ThreadPoolExecutor(THREADS) as threads:
        for running in [threads.submit(work, n * 7) for n in range(THREADS)]:
            running.result()

    assert len(claimed) == DELIVERIES
    assert Counter(Counter(claimed).values()) == {1: DELIVERIES}
    assert max(live_after_each_lease) <= CAP
    with own_connections(read_only=True) as uow:
        delivered = uow.deliveries.list_for_subscription(
            subscription_id, DeliveryStatus.DELIVERED, PageRequest()
        )
    assert delivered.total == DELIVERIES
    assert _live_leases(clean_database) == 0


def test_concurrent_relays_never_claim_the_same_event(own_connections, seed):
    employer = seed.employer()
    events = [Event.record(employer.id, T0, JobExpired(n, T0)) for n in range(100)]
    with own_connections() as uow:
        for event in events:
            uow.outbox.add(event)
        uow.commit()
    both_claimed = threading.Barrier(2)

    def relay() -> list[Event]:
        with own_connections() as uow:
            claimed = list(uow.outbox.claim_unrelayed(60))
            both_claimed.wait(SAFETY_TIMEOUT_SECONDS)
            uow.outbox.mark_relayed([event.id for event in claimed], NOW)
            uow.commit()
        return claimed

    with ThreadPoolExecutor(2) as threads:
        first, second = [running.result() for running in [threads.submit(relay)
                                                           for _ in range(2)]]

    assert {e.id for e in first}.isdisjoint(e.id for e in second)
    assert {e.id for e in first + second} == {e.id for e in events}
    for claim in (first, second):
        assert claim == [event for event in events if event in claim]
    with own_connections() as uow:
        assert list(uow.outbox.claim_unrelayed(100)) == []
