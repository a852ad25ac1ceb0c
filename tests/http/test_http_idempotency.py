"""Idempotency-Key on the three paid or creating writes, on every backend: a retry gets the
first answer and changes nothing, a key reused for another request is refused, and a request
that failed left nothing to replay."""

import json
from datetime import timedelta

import pytest
from falcon.testing import TestClient

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services
from itmj_adapters.leader_lock import ProcessLeaderLock
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.idempotency import IdempotentRequest, StoredResponse, raw_fingerprint
from itmj_jobs.scheduler import Scheduler
from tests.http.support import (
    JOB_BODY,
    JOBS,
    Partner,
    account_state,
    create_job,
    credits_left,
    new_partner,
)

SEARCH = "/api/v1/candidates/search"


def once(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def jobs_of(services: Services, partner: Partner) -> list:
    return list(account_state(services, partner.employer_id)[0])


def test_a_retried_create_answers_the_first_response_and_creates_one_job(api, services, partner):
    first = api.simulate_post(JOBS, json=JOB_BODY, headers=once("create-1"))
    again = api.simulate_post(JOBS, json=JOB_BODY, headers=once("create-1"))
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["Location"] == first.headers["Location"] == f"{JOBS}/{first.json['id']}"
    assert again.headers["Content-Type"] == "application/json"
    assert len(jobs_of(services, partner)) == 1
    other = api.simulate_post(JOBS, json=JOB_BODY, headers=once("create-2"))
    assert other.json["id"] != first.json["id"]
    assert len(jobs_of(services, partner)) == 2


def test_the_replay_is_the_first_answer_even_after_the_job_changed(api, services, partner):
    first = api.simulate_post(JOBS, json=JOB_BODY, headers=once("k"))
    api.simulate_put(f"{JOBS}/{first.json['id']}", json={**JOB_BODY, "title": "Renamed"})
    again = api.simulate_post(JOBS, json=JOB_BODY, headers=once("k"))
    assert again.content == first.content
    assert again.json["title"] == "IT Manager"


def test_a_retried_publish_is_paid_once(api, services, partner):
    draft = create_job(api)
    path = f"{JOBS}/{draft['id']}/publish"
    first = api.simulate_post(path, headers=once("publish"))
    again = api.simulate_post(path, headers=once("publish"))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert credits_left(services, partner.employer_id) == 4
    plain_retry = api.simulate_post(path)
    assert (plain_retry.status_code, plain_retry.json["code"]) == (400, "invalid_state")


def test_a_retried_search_is_charged_once(client, services):
    partner = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    services.credits.grant(partner.employer_id, CreditKind.CV_SEARCH, 5)
    api = TestClient(client.app, headers=partner.bearer)
    body = {"query": "engineer"}
    first = api.simulate_post(SEARCH, json=body, headers=once("search"))
    again = api.simulate_post(SEARCH, json=body, headers=once("search"))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert services.credits.balance(partner.employer_id).available(CreditKind.CV_SEARCH) == 4
    assert api.simulate_post(SEARCH, json=body).status_code == 200
    assert services.credits.balance(partner.employer_id).available(CreditKind.CV_SEARCH) == 3


def test_only_a_replay_says_it_is_one(api, services, partner):
    draft = create_job(api)
    path = f"{JOBS}/{draft['id']}/publish"
    first = api.simulate_post(path, headers=once("p"))
    again = api.simulate_post(path, headers=once("p"))
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    created = api.simulate_post(JOBS, json=JOB_BODY, headers=once("c"))
    recreated = api.simulate_post(JOBS, json=JOB_BODY, headers=once("c"))
    assert "Idempotent-Replayed" not in created.headers
    assert (recreated.status_code, recreated.headers["Idempotent-Replayed"]) == (201, "true")


def test_the_same_json_in_another_order_and_spacing_is_the_same_request(api, services, partner):
    first = api.simulate_post(JOBS, json=JOB_BODY, headers=once("k"))
    reordered = json.dumps(dict(reversed(JOB_BODY.items())), indent=3).encode()
    again = api.simulate_post(
        JOBS, body=reordered, headers={**once("k"), "Content-Type": "application/json"}
    )
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(jobs_of(services, partner)) == 1


def test_a_key_recorded_before_bodies_were_compared_by_meaning_still_replays(
    api, services, partner
):
    """A record made by the previous release holds the fingerprint of the body's bytes: a
    retry with those bytes is still the same request, for the 24 hours it lives."""
    draft = create_job(api)
    path = f"{JOBS}/{draft['id']}/publish"
    body = b'{"expiryDate":  "2026-01-20T00:00:00Z"}'
    earlier = IdempotentRequest(partner.key_id, "old", raw_fingerprint("POST", path, body))
    answer = StoredResponse(200, b'{"answered":"before"}', (("Content-Type", "application/json"),))
    with services.uow() as uow:
        assert uow.idempotency.claim(earlier, services.clock.now(), services.clock.now()) is None
        uow.idempotency.complete(earlier, answer)
        uow.commit()
    headers = {**once("old"), "Content-Type": "application/json"}
    retry = api.simulate_post(path, body=body, headers=headers)
    assert (retry.status_code, retry.content) == (200, answer.body)
    respaced = api.simulate_post(path, body=b'{"expiryDate":"2026-01-20T00:00:00Z"}',
                                 headers=headers)
    assert (respaced.status_code, respaced.json["code"]) == (400, "invalid_request")
    assert credits_left(services, partner.employer_id) == 5


def test_the_same_key_with_another_request_is_refused(api, services, partner):
    draft = create_job(api)
    api.simulate_post(JOBS, json=JOB_BODY, headers=once("k"))
    before = account_state(services, partner.employer_id)
    other_body = api.simulate_post(JOBS, json={**JOB_BODY, "title": "Other"}, headers=once("k"))
    other_path = api.simulate_post(f"{JOBS}/{draft['id']}/publish", headers=once("k"))
    fewer_fields = api.simulate_post(
        JOBS, json={k: v for k, v in JOB_BODY.items() if k != "city"}, headers=once("k")
    )
    for refused in (other_body, other_path, fewer_fields):
        assert refused.status_code == 400
        assert refused.json["code"] == "invalid_request"
        assert "Idempotency-Key" in refused.json["message"]
    assert account_state(services, partner.employer_id) == before


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_an_empty_or_overlong_key_is_refused(api, services, partner, key):
    result = api.simulate_post(JOBS, json=JOB_BODY, headers=once(key))
    assert (result.status_code, result.json["code"]) == (400, "invalid_request")
    assert result.json["message"] == "the Idempotency-Key header must be 1 to 255 characters"
    assert jobs_of(services, partner) == []


def test_a_key_of_255_characters_is_kept(api, services, partner):
    key = "k" * 255
    first = api.simulate_post(JOBS, json=JOB_BODY, headers=once(key))
    assert api.simulate_post(JOBS, json=JOB_BODY, headers=once(key)).content == first.content
    assert len(jobs_of(services, partner)) == 1


def test_keys_belong_to_their_api_key(api, client, services, partner):
    other = new_partner(services, credits=1)
    mine = api.simulate_post(JOBS, json=JOB_BODY, headers=once("shared"))
    theirs = TestClient(client.app, headers=other.bearer).simulate_post(
        JOBS, json=JOB_BODY, headers=once("shared")
    )
    assert theirs.status_code == 201
    assert theirs.json["id"] != mine.json["id"]
    assert len(jobs_of(services, other)) == 1


def test_a_failed_first_attempt_is_not_replayed(api, services, partner):
    """402 first: the partner buys credits and retries with the same key, and it publishes."""
    poor = new_partner(services)
    poor_api = TestClient(api.app, headers=poor.bearer)
    draft = create_job(poor_api)
    path = f"{JOBS}/{draft['id']}/publish"
    refused = poor_api.simulate_post(path, headers=once("pay"))
    assert (refused.status_code, refused.json["code"]) == (402, "no_credits")
    services.credits.grant(poor.employer_id, CreditKind.JOB_POSTING, 1)
    paid = poor_api.simulate_post(path, headers=once("pay"))
    assert paid.status_code == 200
    assert paid.json["status"] == "Active"
    bad = poor_api.simulate_post(JOBS, json={"title": ""}, headers=once("fix-me"))
    assert bad.status_code == 400
    assert poor_api.simulate_post(JOBS, json=JOB_BODY, headers=once("fix-me")).status_code == 201


def test_a_key_is_kept_24_hours_then_forgotten(api, services, partner, clock: ManualClock):
    first = api.simulate_post(JOBS, json=JOB_BODY, headers=once("day"))
    clock.advance(timedelta(hours=23, minutes=59))
    assert api.simulate_post(JOBS, json=JOB_BODY, headers=once("day")).content == first.content
    clock.advance(timedelta(minutes=1))
    after = api.simulate_post(JOBS, json=JOB_BODY, headers=once("day"))
    assert after.status_code == 201
    assert after.json["id"] != first.json["id"]
    assert len(jobs_of(services, partner)) == 2


def test_the_scheduler_sweeps_expired_keys(api, services, partner, clock: ManualClock):
    api.simulate_post(JOBS, json=JOB_BODY, headers=once("old"))
    clock.advance(timedelta(hours=12))
    api.simulate_post(JOBS, json=JOB_BODY, headers=once("young"))
    clock.advance(timedelta(hours=12, seconds=1))
    Scheduler(services, ProcessLeaderLock()).tick(0.0)
    assert services.idempotency_expiry.expire() == 0
    clock.advance(timedelta(hours=12))
    assert services.idempotency_expiry.expire() == 1
