"""Coalesced lastUsedAt on PostgreSQL: uses are held in memory and written together, by a
background thread, on close, and again after a failed write."""

import time
from datetime import timedelta

import pytest

from itmj_adapters.key_use import CoalescedKeyUse
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from tests.contract.seed import T0, Seed

pytestmark = pytest.mark.postgres


class CountedWrites:
    """The real unit of work factory, counting the units of work that may write; it can be
    broken, so that they fail."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self.writes = 0
        self.broken = False

    def __call__(self, *, read_only: bool = False):
        if not read_only:
            if self.broken:
                raise ConnectionError("the database is unreachable")
            self.writes += 1
        return self._inner(read_only=read_only)


@pytest.fixture
def uow(clean_database, pg_pool) -> CountedWrites:
    return CountedWrites(PostgresUnitOfWorkFactory(pg_pool))


def last_used(uow, key_id: int):
    with uow(read_only=True) as read:
        return read.api_keys.get(key_id).last_used_at


def test_many_uses_are_one_write(uow: CountedWrites) -> None:
    seed = Seed(uow)
    employer = seed.employer()
    first, second = seed.key(employer.id), seed.key(employer.id)
    uow.writes = 0
    uses = CoalescedKeyUse(uow, flush_every=3600)
    for step in range(1000):
        uses.record(first.id, T0 + timedelta(milliseconds=step))
        uses.record(second.id, T0 + timedelta(milliseconds=2 * step))
    uses.record(first.id, T0)
    assert uow.writes == 0
    assert last_used(uow, first.id) is None
    uses.flush()
    assert uow.writes == 1
    assert last_used(uow, first.id) == T0 + timedelta(milliseconds=999)
    assert last_used(uow, second.id) == T0 + timedelta(milliseconds=1998)
    uses.flush()
    assert uow.writes == 1
    uses.close()


def test_the_background_thread_writes_without_being_asked(uow: CountedWrites) -> None:
    seed = Seed(uow)
    key = seed.key(seed.employer().id)
    uses = CoalescedKeyUse(uow, flush_every=0.01)
    uses.record(key.id, T0)
    deadline = time.monotonic() + 60
    while last_used(uow, key.id) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert last_used(uow, key.id) == T0
    uses.close()


def test_closing_writes_what_is_pending(uow: CountedWrites) -> None:
    seed = Seed(uow)
    key = seed.key(seed.employer().id)
    uses = CoalescedKeyUse(uow, flush_every=3600)
    uses.record(key.id, T0)
    uses.close()
    assert last_used(uow, key.id) == T0
    uses.close()


def test_a_failed_write_is_retried_with_what_came_since(uow: CountedWrites) -> None:
    seed = Seed(uow)
    key = seed.key(seed.employer().id)
    uses = CoalescedKeyUse(uow, flush_every=3600)
    uses.record(key.id, T0 + timedelta(seconds=5))
    uow.broken = True
    with pytest.raises(ConnectionError):
        uses.flush()
    uses.record(key.id, T0 + timedelta(seconds=1))
    uow.broken = False
    uses.flush()
    assert last_used(uow, key.id) == T0 + timedelta(seconds=5)
    uses.close()
