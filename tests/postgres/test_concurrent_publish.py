"""SPEC §2 on real PostgreSQL: concurrent publishes from several processes never overdraw
the ledger and never charge one job twice."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.credits import CreditKind
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, JobStatus, RemoteType
from itmj_domain.services.accounts import Accounts
from itmj_domain.services.credits import Credits
from itmj_domain.services.job_posting import JobPosting
from tests.postgres.concurrent_publishers import publish_concurrently

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
CONTENT = JobContent(
    title="IT Manager",
    description="Run the service desk.",
    employment_type=EmploymentType.FULL_TIME,
    remote_type=RemoteType.ON_SITE,
    apply_method=ApplyMethod.PORTAL_APPLY,
)


@pytest.fixture
def platform(clean_database, pg_pool):
    uow = PostgresUnitOfWorkFactory(pg_pool)
    clock = ManualClock(NOW)
    return Accounts(uow, clock, RecordingNotifier()), Credits(uow, clock), JobPosting(uow, clock)


def test_fifty_publishes_with_ten_credits_left_exactly_ten_succeed(platform, clean_database):
    accounts, credits, jobs = platform
    employer = accounts.create_employer("Acme")
    credits.grant(employer.id, CreditKind.JOB_POSTING, 10)
    drafts = [jobs.create(employer.id, CONTENT).id for _ in range(50)]

    outcomes = dict(publish_concurrently(clean_database, employer.id, drafts, NOW, processes=5))

    assert Counter(outcomes.values()) == {"published": 10, "NoCredits": 40}
    published = {job_id for job_id, outcome in outcomes.items() if outcome == "published"}
    assert credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 0
    debits = [entry for entry in credits.entries(employer.id) if entry.is_debit]
    assert sorted(entry.reference for entry in debits) == sorted(f"job:{j}" for j in published)
    assert all(entry.amount == -1 for entry in debits)
    statuses = {job_id: jobs.get(employer.id, job_id).status for job_id in drafts}
    assert {j for j, status in statuses.items() if status is JobStatus.ACTIVE} == published
    assert Counter(statuses.values()) == {JobStatus.ACTIVE: 10, JobStatus.DRAFT: 40}


def test_twenty_publishes_of_one_draft_charge_it_once(platform, clean_database):
    accounts, credits, jobs = platform
    employer = accounts.create_employer("Acme")
    credits.grant(employer.id, CreditKind.JOB_POSTING, 100)
    draft = jobs.create(employer.id, CONTENT)

    outcomes = publish_concurrently(
        clean_database, employer.id, [draft.id] * 20, NOW, processes=4
    )

    assert Counter(outcome for _, outcome in outcomes) == {"published": 1, "InvalidState": 19}
    assert credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 99
    debits = [entry for entry in credits.entries(employer.id) if entry.is_debit]
    assert [(entry.amount, entry.reference) for entry in debits] == [(-1, f"job:{draft.id}")]
    assert jobs.get(employer.id, draft.id).status is JobStatus.ACTIVE
