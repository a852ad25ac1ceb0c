"""Server failures and readiness: generic answers outside, the detail in the log only."""

import logging

import attrs
from falcon.testing import TestClient

from itmj_adapters.key_use import ImmediateKeyUse
from itmj_domain.services.authentication import Authenticator
from itmj_domain.services.job_posting import JobPosting
from itmj_http.app import create_app
from itmj_http.errors import SERVER_ERROR
from tests.http.support import JOB_BODY, JOBS, last_used_at

SECRET_DETAIL = "could not connect to 10.1.2.3 as itmj with password hunter2"


class UnreachableDatabase:
    """A unit-of-work factory whose database is down."""

    def __call__(self, *, read_only: bool = False):
        raise ConnectionError(SECRET_DETAIL)


@attrs.frozen
class Probe:
    name: str
    failure: Exception | None = None

    def check(self) -> None:
        if self.failure is not None:
            raise self.failure


def test_an_unexpected_error_is_a_bare_500_and_is_logged(services, partner, caplog):
    broken = attrs.evolve(services, jobs=JobPosting(UnreachableDatabase(), services.clock))
    client = TestClient(create_app(broken), headers=partner.bearer)
    with caplog.at_level(logging.ERROR, logger="itmj_http"):
        result = client.simulate_post(JOBS, json=JOB_BODY)
    assert result.status_code == 500
    assert result.json == {**SERVER_ERROR, "requestId": result.headers["X-Request-Id"]}
    assert "hunter2" not in result.text
    assert any(r.exc_info and SECRET_DETAIL in str(r.exc_info[1]) for r in caplog.records)
    assert last_used_at(services, partner) is None


def test_live_answers_while_the_process_runs(client):
    result = client.simulate_get("/healthz/live")
    assert (result.status_code, result.json) == (200, {"status": "ok"})


def test_ready_runs_every_probe_of_the_backend(client, services):
    result = client.simulate_get("/healthz/ready")
    assert result.status_code == 200
    assert result.json == {"status": "ok",
                           "checks": {probe.name: "ok" for probe in services.probes}}


def test_ready_names_the_failing_dependency_and_nothing_more(services):
    probes = (Probe("database"), Probe("queue", ConnectionError(SECRET_DETAIL)))
    client = TestClient(create_app(attrs.evolve(services, probes=probes)))
    result = client.simulate_get("/healthz/ready")
    assert result.status_code == 503
    assert result.json == {"status": "unavailable",
                           "checks": {"database": "ok", "queue": "failing"}}


class ReadOnlyDatabase:
    """A database that still answers reads but refuses every write."""

    def __init__(self, uow) -> None:
        self._uow = uow

    def __call__(self, *, read_only: bool = False):
        if not read_only:
            raise ConnectionError("cannot write: the database is read-only")
        return self._uow(read_only=True)


def test_failing_to_record_a_use_does_not_fail_the_call(services, partner, caplog):
    read_only = ReadOnlyDatabase(services.uow)
    authenticator = Authenticator(read_only, services.clock, ImmediateKeyUse(read_only))
    client = TestClient(create_app(attrs.evolve(services, authenticator=authenticator)),
                        headers=partner.bearer)
    with caplog.at_level(logging.ERROR, logger="itmj_http"):
        result = client.simulate_get(JOBS)
    assert result.status_code == 200
    assert last_used_at(services, partner) is None
    assert any("could not record the use" in r.getMessage() for r in caplog.records)
