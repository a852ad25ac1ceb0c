"""Idempotency-Key on real PostgreSQL under concurrency: identical requests racing with one
key create one job and pay once, and a retry arriving while the first attempt is still in
its transaction waits for it and answers its response."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from falcon.testing import TestClient

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.idempotency import IdempotentRequest, fingerprint
from itmj_domain.jobs import JobPost
from itmj_domain.services.idempotency import Idempotent, claim, complete
from itmj_http.app import create_app
from itmj_http.idempotency import json_answer
from tests.http.support import JOB_BODY, JOBS, account_state, create_job, credits_left, new_partner
from tests.postgres.test_concurrent_publish import CONTENT

pytestmark = pytest.mark.postgres

THREADS = 8


@pytest.fixture
def services(clean_database):
    built = build_services(
        Settings(database_url=clean_database, db_pool_size=THREADS + 2),
        clock=ManualClock(), notifier=RecordingNotifier(),
    )
    yield built
    built.close()


def race(api: TestClient, method: str, path: str, body: bytes | None, key: str) -> list:
    start = threading.Barrier(THREADS)

    def send(_: int):
        start.wait()
        return api.simulate_request(
            method, path, body=body,
            headers={"Idempotency-Key": key, "Content-Type": "application/json"},
        )

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(send, range(THREADS)))


def test_identical_concurrent_creates_make_one_job(services):
    partner = new_partner(services, credits=1)
    api = TestClient(create_app(services), headers=partner.bearer)
    for round_ in range(5):
        answers = race(api, "POST", JOBS, json.dumps(JOB_BODY).encode(), f"create-{round_}")
        assert {a.status_code for a in answers} == {201}
        assert len({a.content for a in answers}) == 1
    jobs, _ledger = account_state(services, partner.employer_id)
    assert len(jobs) == 5


def test_identical_concurrent_publishes_pay_once(services):
    partner = new_partner(services, credits=10)
    api = TestClient(create_app(services), headers=partner.bearer)
    for round_ in range(5):
        draft = create_job(api)
        answers = race(api, "POST", f"{JOBS}/{draft['id']}/publish", None, f"pub-{round_}")
        assert {a.status_code for a in answers} == {200}
        assert len({a.content for a in answers}) == 1
    assert credits_left(services, partner.employer_id) == 5


def _someone_waits_on_a_lock(database_url: str) -> bool:
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return row[0] > 0


def test_a_retry_during_the_first_attempt_waits_and_answers_its_response(
    services, clean_database
):
    partner = new_partner(services, credits=1)
    api = TestClient(create_app(services), headers=partner.bearer)
    body = json.dumps(JOB_BODY).encode()
    request = IdempotentRequest(partner.key_id, "in-flight", fingerprint("POST", JOBS, body))

    def render(job: JobPost):
        return json_answer({"id": job.id, "first": True}, 201)

    first = Idempotent(request, render)
    retry: list = []
    # The first attempt, by hand, stopped between its claim and its commit.
    with services.uow() as uow:
        now = services.clock.now()
        claim(uow, first, now)
        job = JobPost.draft(uow.jobs.next_id(), partner.employer_id, CONTENT, now)
        uow.jobs.add(job)
        complete(uow, first, job)
        waiter = threading.Thread(target=lambda: retry.append(api.simulate_post(
            JOBS, body=body, headers={"Idempotency-Key": "in-flight",
                                      "Content-Type": "application/json"})))
        waiter.start()
        deadline = time.monotonic() + 60
        while not _someone_waits_on_a_lock(clean_database):
            assert time.monotonic() < deadline, "the retry never waited for the first attempt"
            time.sleep(0.01)
        uow.commit()
    waiter.join()
    [answer] = retry
    assert answer.status_code == 201
    assert answer.json == {"id": job.id, "first": True}
    jobs, _ledger = account_state(services, partner.employer_id)
    assert [j.id for j in jobs] == [job.id]
