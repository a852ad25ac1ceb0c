"""A request scope lends the units of work of its thread one pooled connection, and gives
each of them the same transaction semantics as a connection of its own; the thread keeps it
for its next scopes, for a while, and while the pool has places to spare."""

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from itmj_adapters.postgres import unit_of_work
from itmj_adapters.postgres.connection import open_pool
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_domain.jobs import JobPost
from itmj_domain.pagination import PageRequest
from tests.contract.seed import CONTENT, T0, Seed

pytestmark = pytest.mark.postgres


@pytest.fixture
def pool(clean_database):
    """A pool of two, so that a connection held where it should not be shows at once."""
    pool = open_pool(clean_database, max_size=2)
    yield pool
    pool.close()


@pytest.fixture
def uow_factory(pool) -> PostgresUnitOfWorkFactory:
    return PostgresUnitOfWorkFactory(pool)


def _checkouts(pool) -> int:
    return pool.pop_stats().get("requests_num", 0)


def _in_use(pool) -> int:
    stats = pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


def _jobs(uow_factory, employer_id: int) -> int:
    with uow_factory(read_only=True) as uow:
        return uow.jobs.list(employer_id, None, PageRequest()).total


def test_the_units_of_work_of_a_scope_share_one_checkout(pool, uow_factory):
    employer = Seed(uow_factory).employer()
    _checkouts(pool)
    with uow_factory.request_scope():
        with uow_factory(read_only=True) as uow:
            assert uow.employers.get(employer.id) == employer
        with uow_factory() as uow:
            uow.jobs.add(JobPost.draft(uow.jobs.next_id(), employer.id, CONTENT, T0))
            uow.commit()
        assert _jobs(uow_factory, employer.id) == 1
    assert _checkouts(pool) == 1
    # Kept by this thread for its next scope, and by nobody else.
    assert _in_use(pool) == 1


def test_outside_a_scope_each_unit_of_work_checks_out_its_own(pool, uow_factory):
    employer = Seed(uow_factory).employer()
    _checkouts(pool)
    _jobs(uow_factory, employer.id)
    _jobs(uow_factory, employer.id)
    assert _checkouts(pool) == 2


def test_a_write_left_uncommitted_is_rolled_back_before_the_next_unit_of_work(uow_factory):
    employer = Seed(uow_factory).employer()
    with uow_factory.request_scope():
        with uow_factory() as uow:
            uow.jobs.add(JobPost.draft(uow.jobs.next_id(), employer.id, CONTENT, T0))
        assert _jobs(uow_factory, employer.id) == 0


def test_a_failed_statement_leaves_the_lent_connection_usable(pool, uow_factory):
    employer = Seed(uow_factory).employer()
    _checkouts(pool)
    with uow_factory.request_scope():
        with pytest.raises(psycopg.errors.UniqueViolation), uow_factory() as uow:
            uow.jobs.add(JobPost.draft(uow.jobs.next_id(), employer.id, CONTENT, T0))
            uow.employers.add(employer)
        assert _jobs(uow_factory, employer.id) == 0
        with uow_factory() as uow:
            uow.jobs.add(JobPost.draft(uow.jobs.next_id(), employer.id, CONTENT, T0))
            uow.commit()
    assert _checkouts(pool) == 1
    assert _jobs(uow_factory, employer.id) == 1


def test_a_connection_that_broke_is_not_lent_again(clean_database):
    pool = open_pool(clean_database, max_size=1)
    uow_factory = PostgresUnitOfWorkFactory(pool)
    try:
        employer = Seed(uow_factory).employer()
        with pool.connection() as only:
            backend = only.info.backend_pid
        with uow_factory.request_scope():
            _jobs(uow_factory, employer.id)
            with psycopg.connect(clean_database, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [backend])
            with pytest.raises(psycopg.OperationalError):
                _jobs(uow_factory, employer.id)
            assert _jobs(uow_factory, employer.id) == 0
    finally:
        pool.close()


def test_a_unit_of_work_nested_in_another_has_a_connection_and_transaction_of_its_own(
    uow_factory,
):
    employer = Seed(uow_factory).employer()
    with uow_factory.request_scope(), uow_factory() as outer:
        outer.jobs.add(JobPost.draft(outer.jobs.next_id(), employer.id, CONTENT, T0))
        assert _jobs(uow_factory, employer.id) == 0
        outer.commit()
        assert _jobs(uow_factory, employer.id) == 1


def test_a_scope_lends_only_to_its_own_thread(pool, uow_factory):
    employer = Seed(uow_factory).employer()
    _checkouts(pool)
    with ThreadPoolExecutor(1) as other, uow_factory.request_scope():
        _jobs(uow_factory, employer.id)
        other.submit(_jobs, uow_factory, employer.id).result(timeout=5)
        _jobs(uow_factory, employer.id)
    assert _checkouts(pool) == 2


def test_a_thread_keeps_its_connection_for_its_next_scopes(pool, uow_factory):
    employer = Seed(uow_factory).employer()
    _checkouts(pool)
    for _ in range(5):
        with uow_factory.request_scope():
            _jobs(uow_factory, employer.id)
    assert _checkouts(pool) == 1
    assert _in_use(pool) == 1


def test_a_kept_connection_goes_back_to_the_pool_after_its_turn(
    pool, uow_factory, monkeypatch
):
    monkeypatch.setattr(unit_of_work, "KEPT_SCOPES", 2)
    employer = Seed(uow_factory).employer()
    _checkouts(pool)
    for _ in range(7):
        with uow_factory.request_scope():
            _jobs(uow_factory, employer.id)
    # Kept after scopes 1 and 2, given back after 3; checked out again for 4, kept after 4
    # and 5, given back after 6; checked out for 7.
    assert _checkouts(pool) == 3


def test_a_connection_is_not_kept_past_its_seconds(pool, uow_factory, monkeypatch):
    monkeypatch.setattr(unit_of_work, "KEPT_SECONDS", 0.0)
    employer = Seed(uow_factory).employer()
    _checkouts(pool)
    for _ in range(3):
        with uow_factory.request_scope():
            _jobs(uow_factory, employer.id)
    assert _checkouts(pool) == 3
    assert _in_use(pool) == 0


def _scope_beside_others(uow_factory, employer_id: int, together: threading.Barrier) -> None:
    with uow_factory.request_scope():
        _jobs(uow_factory, employer_id)
        together.wait(timeout=10)


def test_at_most_half_of_the_pool_is_kept_and_a_thread_that_ends_gives_its_place_back(
    clean_database,
):
    pool = open_pool(clean_database, max_size=4)
    uow_factory = PostgresUnitOfWorkFactory(pool)
    try:
        employer = Seed(uow_factory).employer()
        for _ in range(2):
            together = threading.Barrier(4)
            with ThreadPoolExecutor(4) as threads:
                for done in [threads.submit(_scope_beside_others, uow_factory, employer.id,
                                            together) for _ in range(4)]:
                    done.result(timeout=10)
                assert _in_use(pool) == 2
                # The two connections left serve everyone else.
                assert _jobs(uow_factory, employer.id) == 0
            assert _in_use(pool) == 0
    finally:
        pool.close()


def test_a_kept_connection_that_broke_is_replaced(clean_database):
    pool = open_pool(clean_database, max_size=2)
    uow_factory = PostgresUnitOfWorkFactory(pool)
    try:
        employer = Seed(uow_factory).employer()
        with uow_factory.request_scope(), uow_factory.standalone() as kept:
            backend = kept.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(clean_database, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [backend])
        with pytest.raises(psycopg.OperationalError), uow_factory.request_scope():
            _jobs(uow_factory, employer.id)
        with uow_factory.request_scope():
            assert _jobs(uow_factory, employer.id) == 0
    finally:
        pool.close()


def test_a_scope_no_unit_of_work_used_checks_out_nothing(pool, uow_factory):
    _checkouts(pool)
    with uow_factory.request_scope():
        pass
    assert _checkouts(pool) == 0
