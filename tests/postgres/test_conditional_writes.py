"""SPEC §11 on real PostgreSQL: the If-Match check is atomic with its write. A change that
commits while a conditional publish waits for the job's row makes that publish fail as
precondition_failed, uncharged, rather than publish the changed job."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import psycopg
import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.credits import CreditKind
from itmj_domain.errors import PreconditionFailed
from itmj_domain.job_versions import IfMatch, entity_tag
from itmj_domain.jobs import JobStatus
from itmj_domain.services.accounts import Accounts
from itmj_domain.services.credits import Credits
from itmj_domain.services.job_posting import JobPosting
from tests.postgres.test_concurrent_publish import CONTENT
from tests.postgres.test_secrets_at_rest import _someone_waits_on_a_lock

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_a_change_committed_between_read_and_write_fails_the_conditional_write(
    clean_database, pg_pool
):
    uow = PostgresUnitOfWorkFactory(pg_pool)
    clock = ManualClock(NOW)
    accounts, credits, jobs = (
        Accounts(uow, clock, RecordingNotifier()), Credits(uow, clock), JobPosting(uow, clock)
    )
    employer = accounts.create_employer("Acme")
    credits.grant(employer.id, CreditKind.JOB_POSTING, 3)
    draft = jobs.create(employer.id, CONTENT)
    read = IfMatch(frozenset({entity_tag(draft)}))
    # Another writer holds the job's row, changes the title, and commits only once the
    # conditional publish is waiting for that row.
    with psycopg.connect(clean_database) as writer, ThreadPoolExecutor(1) as running:
        writer.execute("SELECT id FROM job_posts WHERE id = %s FOR UPDATE", (draft.id,))
        writer.execute("UPDATE job_posts SET title = 'Head of IT' WHERE id = %s", (draft.id,))
        publishing = running.submit(jobs.publish, employer.id, draft.id, if_match=read)
        deadline = time.monotonic() + 30
        while not _someone_waits_on_a_lock(clean_database):
            assert time.monotonic() < deadline and not publishing.done()
            time.sleep(0.02)
        writer.commit()
        with pytest.raises(PreconditionFailed):
            publishing.result(timeout=30)
    now = jobs.get(employer.id, draft.id)
    assert (now.status, now.content.title) == (JobStatus.DRAFT, "Head of IT")
    assert credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 3
    assert jobs.publish(employer.id, draft.id, if_match=IfMatch(frozenset({entity_tag(now)})))
    assert credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 2
