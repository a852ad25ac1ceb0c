"""Isolation on real PostgreSQL, where a reader never waits for a writer: what a unit of work
wrote stays invisible to everyone else until it commits."""

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_domain.jobs import JobPost
from itmj_domain.pagination import PageRequest
from tests.contract.seed import CONTENT, T0, Seed

pytestmark = pytest.mark.postgres


def test_writes_become_visible_to_others_at_commit_and_not_before(clean_database, pg_pool):
    uow_factory = PostgresUnitOfWorkFactory(pg_pool)
    employer = Seed(uow_factory).employer()

    def jobs_seen_by_another_unit_of_work() -> int:
        with uow_factory(read_only=True) as uow:
            return uow.jobs.list(employer.id, None, PageRequest()).total

    with ThreadPoolExecutor(1) as other, uow_factory() as uow:
        uow.jobs.add(JobPost.draft(uow.jobs.next_id(), employer.id, CONTENT, T0))
        assert uow.jobs.list(employer.id, None, PageRequest()).total == 1
        assert other.submit(jobs_seen_by_another_unit_of_work).result() == 0
        uow.commit()
        assert other.submit(jobs_seen_by_another_unit_of_work).result() == 1


def _open_transactions(url: str) -> int:
    with psycopg.connect(url) as observer:
        row = observer.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
        ).fetchone()
    return row[0]


def test_only_a_writing_unit_of_work_holds_a_transaction_open(clean_database, pg_pool):
    uow_factory = PostgresUnitOfWorkFactory(pg_pool)
    employer = Seed(uow_factory).employer()
    with uow_factory(read_only=True) as uow:
        assert uow.employers.get(employer.id) == employer
        assert _open_transactions(clean_database) == 0
    with uow_factory() as uow:
        assert uow.employers.get(employer.id) == employer
        assert _open_transactions(clean_database) == 1
