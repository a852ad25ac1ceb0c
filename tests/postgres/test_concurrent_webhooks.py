"""Leases and the outbox on real PostgreSQL, under real concurrency: threads with a
connection each lease the same deliveries, relay the same outbox, and write and read one
employer's events at once."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg
import pytest

from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_domain.events import Event, JobExpired, WebhookTest
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.deliveries import DeliveryStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE
from tests.contract.seed import T0, Seed
from tests.jobs.test_at_least_once import wait_until
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
    """One subscription's deliveries, all due: (subscription id, delivery ids). Their event
    is about no application or job, so that no order holds one back behind another."""
    employer = seed.employer()
    subscription = seed.subscription(employer.id)
    event = seed.event(employer.id, WebhookTest(1, T0))
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


def _waiting_for_a_lock(url: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
    return row[0] > 0


def test_relays_take_turns_the_second_claims_what_the_first_left(
    own_connections, seed, clean_database
):
    employer = seed.employer()
    events = [Event.record(employer.id, T0, JobExpired(n, T0)) for n in range(100)]
    with own_connections() as uow:
        events = [uow.outbox.add(event) for event in events]
        uow.commit()
    first_claimed = threading.Event()

    def second_relay() -> list[Event]:
        first_claimed.wait(SAFETY_TIMEOUT_SECONDS)
        with own_connections() as uow:
            claimed = list(uow.outbox.claim_unrelayed(100))
            uow.outbox.mark_relayed([event.id for event in claimed], NOW)
            uow.commit()
        return claimed

    with ThreadPoolExecutor(1) as threads:
        running = threads.submit(second_relay)
        with own_connections() as uow:
            first = list(uow.outbox.claim_unrelayed(60))
            first_claimed.set()
            assert wait_until(
                lambda: _waiting_for_a_lock(clean_database), SAFETY_TIMEOUT_SECONDS
            ), "the second relay never waited for the first"
            uow.outbox.mark_relayed([event.id for event in first], NOW)
            uow.commit()
        second = running.result()

    assert (first, second) == (events[:60], events[60:])
    with own_connections() as uow:
        assert list(uow.outbox.claim_unrelayed(100)) == []


def test_a_reader_paging_by_sequence_never_misses_an_event_written_concurrently(
    own_connections, seed
):
    employer = seed.employer()
    writers, per_writer = THREADS - 1, 40
    done = threading.Event()

    def write(writer: int) -> None:
        for n in range(per_writer):
            with own_connections() as uow:
                uow.outbox.add(Event.record(employer.id, T0, JobExpired(writer * 1000 + n, T0)))
                uow.commit()

    def read() -> list[int]:
        seen: list[int] = []
        while True:
            finished = done.is_set()
            with own_connections(read_only=True) as uow:
                page = uow.outbox.list_for_employer(
                    employer.id, seen[-1] if seen else 0, SUBSCRIBABLE, T0, 7
                )
            seen.extend(event.sequence for event in page)
            if finished and not page:
                return seen

    with ThreadPoolExecutor(THREADS) as threads:
        reader = threads.submit(read)
        for running in [threads.submit(write, n) for n in range(writers)]:
            running.result()
        done.set()
        seen = reader.result()

    assert seen == list(range(1, writers * per_writer + 1))
