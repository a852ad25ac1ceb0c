"""The UnitOfWork contract, on every adapter: all of a unit of work or none of it."""

import threading

import pytest

from itmj_domain import credits
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import JobPost
from itmj_domain.pagination import PageRequest
from tests.contract.seed import CONTENT, T0


def _write_a_job_and_a_grant(uow, employer_id: int) -> None:
    uow.jobs.add(JobPost.draft(uow.jobs.next_id(), employer_id, CONTENT, T0))
    uow.ledger.append(
        credits.grant(uow.ledger.next_id(), employer_id, CreditKind.JOB_POSTING, 5, T0)
    )


def _written(uow_factory, employer_id: int) -> tuple[int, int]:
    """How many jobs and ledger entries the employer has."""
    with uow_factory(read_only=True) as uow:
        return (
            uow.jobs.list(employer_id, None, PageRequest()).total,
            len(uow.ledger.entries(employer_id)),
        )


def test_commit_makes_every_write_visible(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        _write_a_job_and_a_grant(uow, employer.id)
        uow.commit()
    assert _written(uow_factory, employer.id) == (1, 1)


def test_leaving_without_commit_discards_every_write(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        _write_a_job_and_a_grant(uow, employer.id)
    assert _written(uow_factory, employer.id) == (0, 0)
    with uow_factory(read_only=True) as uow:
        assert uow.ledger.balances(employer.id)[CreditKind.JOB_POSTING] == 0


def test_an_exception_discards_every_write_and_propagates(uow_factory, seed):
    employer = seed.employer()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), uow_factory() as uow:
        _write_a_job_and_a_grant(uow, employer.id)
        raise Boom
    assert _written(uow_factory, employer.id) == (0, 0)


def test_writes_after_a_commit_need_a_commit_of_their_own(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        _write_a_job_and_a_grant(uow, employer.id)
        uow.commit()
        _write_a_job_and_a_grant(uow, employer.id)
    assert _written(uow_factory, employer.id) == (1, 1)


def test_a_read_only_unit_of_work_refuses_writes(uow_factory, seed):
    employer = seed.employer()
    with uow_factory(read_only=True) as uow, pytest.raises(RuntimeError):
        uow.jobs.add(JobPost.draft(uow.jobs.next_id(), employer.id, CONTENT, T0))
    assert _written(uow_factory, employer.id) == (0, 0)


def test_a_concurrent_reader_never_sees_writes_that_are_rolled_back(uow_factory, seed):
    employer = seed.employer()
    seen: list[tuple[int, int]] = []
    reader = threading.Thread(target=lambda: seen.append(_written(uow_factory, employer.id)))
    with uow_factory() as uow:
        _write_a_job_and_a_grant(uow, employer.id)
        reader.start()
    reader.join()
    assert seen == [(0, 0)]
