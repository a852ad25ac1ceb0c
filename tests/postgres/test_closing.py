"""Closing the services closes what the composition root opened, last opened first: the key
uses still held are written through the pool before the pool itself closes."""

import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_domain.api_keys import Scope

pytestmark = pytest.mark.postgres


def test_closing_writes_the_held_key_uses_before_the_pool_closes(clean_database):
    clock = ManualClock()
    # A flush interval far longer than the test: the only write is the one on closing.
    settings = Settings(
        database_url=clean_database, db_pool_size=2, last_used_flush_seconds=3600
    )
    services = build_services(settings, clock=clock)
    try:
        employer = services.accounts.create_employer("Acme", trusted_partner=True)
        minted = services.accounts.mint_key(employer.id, "k", frozenset({Scope.JOB_POSTING}))
        services.authenticator.record_use(services.authenticator.authenticate(minted.plaintext))
        [held] = services.accounts.list_keys(employer.id)
        assert held.last_used_at is None
    finally:
        services.close()
    services.close()
    reopened = build_services(settings, clock=clock)
    try:
        [key] = reopened.accounts.list_keys(employer.id)
        assert key.last_used_at == clock.now()
    finally:
        reopened.close()
