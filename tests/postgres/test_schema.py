"""What the schema itself guarantees, whatever code writes to it."""

import psycopg
import pytest

from itmj_adapters.postgres.unit_of_work import PostgresUnitOfWorkFactory
from tests.contract.seed import Seed
from tests.secret_keys import TEST_KEY_RING

pytestmark = pytest.mark.postgres

GRANT = (
    "INSERT INTO ledger_entries (employer_id, kind, amount, reason, created_at)"
    " VALUES (%s, 'JobPosting', 5, 'Grant', now())"
)


@pytest.fixture
def employer_id(clean_database, pg_pool) -> int:
    return Seed(PostgresUnitOfWorkFactory(pg_pool)).employer().id


def test_ledger_entries_cannot_be_changed_or_deleted(clean_database, employer_id):
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute(GRANT, [employer_id])
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("UPDATE ledger_entries SET amount = 500")
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("DELETE FROM ledger_entries")
        assert conn.execute("SELECT amount FROM ledger_entries").fetchall() == [(5,)]


def test_a_balance_below_zero_is_refused_by_the_database(clean_database, employer_id):
    with (
        psycopg.connect(clean_database, autocommit=True) as conn,
        pytest.raises(psycopg.errors.CheckViolation),
    ):
        conn.execute(
            "INSERT INTO credit_balances (employer_id, kind, balance) VALUES (%s, 'CvSearch', -1)",
            [employer_id],
        )


def test_a_draft_with_dates_is_refused_by_the_database(clean_database, pg_pool, employer_id):
    seed = Seed(PostgresUnitOfWorkFactory(pg_pool))
    job = seed.job(employer_id)
    with (
        psycopg.connect(clean_database, autocommit=True) as conn,
        pytest.raises(psycopg.errors.CheckViolation),
    ):
        conn.execute("UPDATE job_posts SET posted_date = now() WHERE id = %s", [job.id])


def test_an_application_under_another_employer_than_its_jobs_is_refused(
    clean_database, pg_pool, employer_id
):
    seed = Seed(PostgresUnitOfWorkFactory(pg_pool))
    job = seed.job(employer_id)
    other = seed.employer("Other")
    candidate = seed.candidate()
    with (
        psycopg.connect(clean_database, autocommit=True) as conn,
        pytest.raises(psycopg.errors.ForeignKeyViolation),
    ):
        conn.execute(
            "INSERT INTO applications (employer_id, job_id, candidate_id, application_type,"
            " status, applied_at, applicant_name, applicant_email)"
            " VALUES (%s, %s, %s, 'PortalApply', 'New', now(), 'Pat', 'pat@example.com')",
            [other.id, job.id, candidate.id],
        )


def test_only_a_pending_delivery_can_hold_a_lease(clean_database, pg_pool, employer_id):
    seed = Seed(PostgresUnitOfWorkFactory(pg_pool, TEST_KEY_RING))
    subscription = seed.subscription(employer_id)
    [delivery] = seed.deliveries(subscription.id, seed.event(employer_id).id, 1)
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("UPDATE webhook_deliveries SET leased_until = now() WHERE id = %s",
                     [delivery.id])
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE webhook_deliveries SET status = 'delivered' WHERE id = %s",
                         [delivery.id])
