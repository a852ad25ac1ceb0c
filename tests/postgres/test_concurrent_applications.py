"""One candidate applies to one job once, on real PostgreSQL, even when the same form is sent
from several threads at once: the job is locked while the earlier application is looked for."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.errors import DomainError
from itmj_domain.pagination import PageRequest
from itmj_domain.services.job_board import ApplicationForm
from tests.secret_keys import TEST_KEYS
from tests.use_cases.test_webhooks import active_job

pytestmark = pytest.mark.postgres

SENDERS = 8


def test_the_same_form_sent_at_once_makes_one_candidate_and_one_application(clean_database):
    settings = Settings(database_url=clean_database, db_pool_size=SENDERS, secret_keys=TEST_KEYS,
                        rate_limits=False)
    with build_services(settings, clock=ManualClock(), notifier=RecordingNotifier()) as services:
        employer = services.accounts.create_employer("Acme")
        job = active_job(services, employer.id)
        form = ApplicationForm(name="Grace Hopper", email="grace@navy.example", phone="",
                               cover_note="", cv_file=None, cv_text="COBOL")
        start = threading.Barrier(SENDERS)

        def send(_: int) -> str:
            start.wait()
            try:
                services.job_board.apply(job.id, form, "203.0.113.7")
            except DomainError as refused:
                return type(refused).__name__
            return "applied"

        with ThreadPoolExecutor(SENDERS) as threads:
            outcomes = Counter(threads.map(send, range(SENDERS)))
        assert outcomes == {"applied": 1, "AlreadyApplied": SENDERS - 1}
        with services.uow(read_only=True) as uow:
            assert len(uow.candidates.batch_after(0, 100)) == 1
        listed = services.applications.list_for_job(employer.id, job.id, None, PageRequest())
        assert listed.total == 1
