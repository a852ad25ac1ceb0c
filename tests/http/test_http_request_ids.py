"""Request ids (SPEC §11): every answer carries X-Request-Id, the caller's own when sane, and
error bodies repeat it as ``requestId``."""

import attrs
import pytest
from falcon.testing import TestClient

from itmj_domain.services.job_posting import JobPosting
from itmj_http.app import create_app
from itmj_http.openapi import OPENAPI_PATH
from tests.http.support import JOB_BODY, JOBS
from tests.http.test_http_failures import UnreachableDatabase

ANSWERS = [
    ("GET", "/healthz/live"),
    ("GET", "/healthz/ready"),
    ("GET", OPENAPI_PATH),
    ("GET", "/portal/sign-in"),
    ("GET", "/no/such/path"),
    ("GET", JOBS),  # without a key: an empty 401
]


@pytest.mark.parametrize(("method", "path"), ANSWERS)
def test_every_answer_carries_a_new_id(client, method, path):
    first = client.simulate_request(method, path).headers["X-Request-Id"]
    second = client.simulate_request(method, path).headers["X-Request-Id"]
    assert first and second and first != second


@pytest.mark.parametrize(("method", "path"), ANSWERS)
def test_a_sane_id_of_the_caller_is_echoed(client, method, path):
    sent = "partner-call:42/abc~!"
    answer = client.simulate_request(method, path, headers={"X-Request-Id": sent})
    assert answer.headers["X-Request-Id"] == sent


@pytest.mark.parametrize("sent", ["", " ", "a b", "x" * 129, "café", "tab\there"])
def test_an_id_that_is_not_sane_is_replaced(client, sent):
    answer = client.simulate_get("/healthz/live", headers={"X-Request-Id": sent})
    made = answer.headers["X-Request-Id"]
    assert made != sent and 0 < len(made) <= 128


def test_the_longest_sane_id_is_echoed(client):
    sent = "~" * 128
    assert client.simulate_get("/healthz/live", headers={"X-Request-Id": sent}).headers[
        "X-Request-Id"] == sent


def test_an_error_body_repeats_the_id(api):
    answer = api.simulate_get(f"{JOBS}/abc", headers={"X-Request-Id": "req-1"})
    assert answer.status_code == 400
    assert answer.json["requestId"] == "req-1"
    made = api.simulate_get(f"{JOBS}/999")
    assert made.json["requestId"] == made.headers["X-Request-Id"]


def test_a_500_carries_the_id_in_header_and_body(services, partner):
    broken = attrs.evolve(services, jobs=JobPosting(UnreachableDatabase(), services.clock))
    client = TestClient(create_app(broken), headers=partner.bearer)
    answer = client.simulate_post(JOBS, json=JOB_BODY, headers={"X-Request-Id": "boom"})
    assert answer.status_code == 500
    assert answer.headers["X-Request-Id"] == answer.json["requestId"] == "boom"


def test_a_429_carries_the_id(api):
    for _ in range(1000):
        answer = api.simulate_get(f"{JOBS}/999", headers={"X-Request-Id": "limited"})
        if answer.status_code == 429:
            break
    assert answer.status_code == 429
    assert answer.headers["X-Request-Id"] == answer.json["requestId"] == "limited"
