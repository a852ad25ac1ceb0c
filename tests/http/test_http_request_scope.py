"""Every API request runs inside the services' request scope, which ends once the response is
settled, whatever the outcome; on PostgreSQL an API call then costs one pooled connection."""

from datetime import timedelta
from types import TracebackType

import attrs
import pytest
from falcon.testing import TestClient

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services
from itmj_domain.api_keys import Scope
from itmj_http.app import create_app
from tests.http.support import JOBS, create_job, last_used_at, new_partner


class RecordingScopes:
    """A request scope that counts how often it was opened and closed."""

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0

    def __call__(self) -> "RecordingScopes":
        return self

    def __enter__(self) -> None:
        self.opened += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.closed += 1


def test_every_request_closes_the_scope_it_opened(services: Services):
    scopes = RecordingScopes()
    client = TestClient(create_app(attrs.evolve(services, request_scope=scopes)))
    partner = new_partner(services, credits=1)
    cv_only = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    job = create_job(TestClient(client.app, headers=partner.bearer))
    answers = [
        client.simulate_get(f"{JOBS}/{job['id']}", headers=partner.bearer).status_code,
        client.simulate_get(f"{JOBS}/{job['id']}").status_code,
        client.simulate_get(JOBS, headers=cv_only.bearer).status_code,
        client.simulate_get(f"{JOBS}/999999", headers=partner.bearer).status_code,
        client.simulate_get(f"{JOBS}/x", headers=partner.bearer).status_code,
        client.simulate_post(
            JOBS, headers={**partner.bearer, "Content-Type": "application/json"}, body="{"
        ).status_code,
        client.simulate_get("/nowhere").status_code,
        client.simulate_get("/healthz/live").status_code,
    ]
    assert answers == [200, 401, 403, 404, 400, 400, 404, 200]
    assert scopes.opened == scopes.closed == len(answers) + 1


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_api_calls_share_one_connection_for_all_their_units_of_work(
    services: Services, client: TestClient, clock: ManualClock
):
    partner = new_partner(services, credits=1)
    job = create_job(TestClient(client.app, headers=partner.bearer))
    clock.advance(timedelta(seconds=1))
    pool = services.uow.pool
    pool.pop_stats()
    answers = [
        client.simulate_get(f"{JOBS}/{job['id']}", headers=partner.bearer).status_code
        for _ in range(3)
    ]
    checkouts = pool.pop_stats().get("requests_num", 0)
    assert answers == [200, 200, 200]
    # Authenticate, read the job, record the key's use: three units of work a call, on the
    # one connection the thread keeps from call to call.
    assert last_used_at(services, partner) == clock.now()
    assert checkouts <= 1
    stats = pool.get_stats()
    assert stats["pool_size"] - stats["pool_available"] <= 1
