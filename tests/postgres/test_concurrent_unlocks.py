"""Concurrent first views of one candidate, on real PostgreSQL: exactly one pays."""

import threading

import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_domain.credits import CreditKind, EntryReason
from tests.use_cases.test_webhooks import candidate

pytestmark = pytest.mark.postgres
VIEWERS = 12


def test_only_one_of_many_simultaneous_first_views_is_charged(clean_database):
    clock = ManualClock()
    services = build_services(
        Settings(database_url=clean_database, db_pool_size=VIEWERS), clock=clock
    )
    try:
        employer = services.accounts.create_employer("Acme")
        services.credits.grant(employer.id, CreditKind.CV_DOWNLOAD, 5)
        cid = candidate(services, clock)
        start = threading.Barrier(VIEWERS)
        windows = []

        def view() -> None:
            start.wait()
            windows.append(services.cv_search.view(employer.id, cid).unlocked_until)

        threads = [threading.Thread(target=view) for _ in range(VIEWERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        debits = [e for e in services.credits.entries(employer.id)
                  if e.reason is EntryReason.CV_DOWNLOAD]
        assert len(windows) == VIEWERS
        assert len(set(windows)) == 1
        assert [d.amount for d in debits] == [-1]
        assert services.credits.balance(employer.id).available(CreditKind.CV_DOWNLOAD) == 4
    finally:
        services.close()
