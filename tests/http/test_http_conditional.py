"""Conditional requests on a job (SPEC §11): the ETag, If-Match on PUT, DELETE and publish
(412 precondition_failed, nothing changed or charged), If-None-Match on GET (304)."""

import pytest

from tests.http.support import (
    JOB_BODY,
    JOBS,
    account_state,
    create_job,
    credits_left,
    envelope,
    new_partner,
)

STALE = '"0000000000000000"'


@pytest.fixture
def job(api) -> dict:
    return create_job(api)


def etag_of(api, job_id: int) -> str:
    result = api.simulate_get(f"{JOBS}/{job_id}")
    assert result.status_code == 200
    return result.headers["ETag"]


def test_a_job_has_a_strong_etag_and_every_answer_carrying_it_sends_it(api, job):
    refused = api.simulate_post(JOBS, json={"title": "x"})
    assert refused.status_code == 400 and "ETag" not in refused.headers
    tag = etag_of(api, job["id"])
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
    assert etag_of(api, job["id"]) == tag
    edited = api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "York"})
    assert edited.headers["ETag"] not in (None, tag)
    assert edited.headers["ETag"] == etag_of(api, job["id"])


def test_the_create_answer_carries_the_tag_the_job_has(api):
    created = api.simulate_post(JOBS, json=JOB_BODY)
    assert created.status_code == 201
    assert created.headers["ETag"] == etag_of(api, created.json["id"])


def test_two_changes_within_the_same_instant_give_different_tags(api, job):
    # The clock stands still: the tag cannot come from the time alone.
    first = api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "York"})
    second = api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "Hull"})
    assert first.json["updatedAt"] == second.json["updatedAt"]
    assert first.headers["ETag"] != second.headers["ETag"]


def test_if_none_match_with_the_current_tag_is_304_without_a_body(api, job):
    tag = etag_of(api, job["id"])
    for sent in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        result = api.simulate_get(f"{JOBS}/{job['id']}", headers={"If-None-Match": sent})
        assert result.status_code == 304, sent
        assert result.content == b""
        assert result.headers["ETag"] == tag
    api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "York"})
    changed = api.simulate_get(f"{JOBS}/{job['id']}", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.json["city"] == "York"


def test_a_put_on_the_current_tag_changes_the_job(api, job):
    tag = etag_of(api, job["id"])
    result = api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "York"},
                              headers={"If-Match": tag})
    assert result.status_code == 200
    assert result.json["city"] == "York"


@pytest.mark.parametrize("request_", [
    ("PUT", "", {"city": "York"}),
    ("DELETE", "", None),
    ("POST", "/publish", None),
])
def test_a_write_on_a_stale_tag_is_412_and_changes_and_charges_nothing(
    api, services, partner, job, request_
):
    method, suffix, body = request_
    stale = etag_of(api, job["id"])
    api.simulate_put(f"{JOBS}/{job['id']}", json={"title": "Head of IT"})
    before = account_state(services, partner.employer_id)
    for sent in (stale, STALE, f"W/{etag_of(api, job['id'])}", f"{stale}, {STALE}"):
        result = api.simulate_request(method, f"{JOBS}/{job['id']}{suffix}", json=body,
                                      headers={"If-Match": sent})
        assert result.status_code == 412, (sent, result.text)
        assert envelope(result)["code"] == "precondition_failed"
        assert "ETag" not in result.headers
    assert account_state(services, partner.employer_id) == before
    assert credits_left(services, partner.employer_id) == 5


def test_publish_on_the_current_tag_or_any_is_charged_once(api, services, partner, job):
    tag = etag_of(api, job["id"])
    published = api.simulate_post(f"{JOBS}/{job['id']}/publish", headers={"If-Match": tag})
    assert published.status_code == 200
    assert published.json["status"] == "Active"
    assert published.headers["ETag"] == etag_of(api, job["id"]) != tag
    assert credits_left(services, partner.employer_id) == 4
    closed = api.simulate_delete(f"{JOBS}/{job['id']}", headers={"If-Match": "*"})
    assert (closed.status_code, closed.json["status"]) == (200, "Inactive")
    assert closed.headers["ETag"] == etag_of(api, job["id"])


def test_an_idempotent_replay_of_publish_carries_the_first_answers_tag(api, job):
    headers = {"Idempotency-Key": "publish-1"}
    first = api.simulate_post(f"{JOBS}/{job['id']}/publish", headers=headers)
    again = api.simulate_post(f"{JOBS}/{job['id']}/publish", headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["ETag"] == first.headers["ETag"] == etag_of(api, job["id"])


def test_another_employers_job_is_not_found_whatever_the_condition(client, services, job):
    other = new_partner(services, credits=5)
    for method, suffix in (("PUT", ""), ("DELETE", ""), ("POST", "/publish"), ("GET", "")):
        for header in ({"If-Match": "*"}, {"If-None-Match": "*"}):
            result = client.simulate_request(
                method, f"{JOBS}/{job['id']}{suffix}", json={"city": "York"} if method == "PUT"
                else None, headers={**other.bearer, **header},
            )
            assert result.status_code == 404
            assert "ETag" not in result.headers


@pytest.mark.parametrize("sent", ["abc", "0", 'W/ "a"', "", ",", "'a'", '"a'])
def test_a_condition_that_names_no_tag_matches_nothing(api, job, sent):
    read = api.simulate_get(f"{JOBS}/{job['id']}", headers={"If-None-Match": sent})
    assert (read.status_code, read.json["city"]) == (200, "Leeds")
    write = api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "York"},
                             headers={"If-Match": sent})
    assert write.status_code == 412, sent
    assert envelope(write)["code"] == "precondition_failed"
    assert api.simulate_get(f"{JOBS}/{job['id']}").json["city"] == "Leeds"
