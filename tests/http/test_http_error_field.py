"""The error envelope's ``field`` (SPEC §11): the request field at fault, spelled as the
request spelled it, when there is one; absent when the fault is no one field's."""

import json

import pytest

from itmj_domain.api_keys import Scope
from tests.http.support import JOB_BODY, JOBS, create_job, envelope, new_partner


@pytest.fixture
def job(api) -> dict:
    return create_job(api)


@pytest.mark.parametrize(("body", "field"), [
    ({**JOB_BODY, "title": 123}, "title"),
    ({k: v for k, v in JOB_BODY.items() if k != "title"}, "title"),
    ({**JOB_BODY, "salaryMin": -1}, "salaryMin"),
    ({**JOB_BODY, "applyMethod": "UrlApply", "applyEmailAddress": None,
      "applyUrl": "ftp://acme.example"}, "applyUrl"),
    ({**JOB_BODY, "colour": "red"}, "colour"),
])
def test_a_bad_body_field_is_named(api, body, field):
    result = api.simulate_post(JOBS, json=body)
    assert result.status_code == 400
    assert envelope(result)["field"] == field


def test_the_spec_example_shape(api):
    result = api.simulate_post(JOBS, json={**JOB_BODY, "title": "   "})
    body = result.json
    assert list(body) == ["code", "message", "field", "requestId"]
    assert (body["code"], body["field"]) == ("invalid_request", "title")


def test_the_first_of_several_bad_fields_is_named_and_the_message_names_them_all(api):
    result = api.simulate_post(JOBS, json={**JOB_BODY, "salaryMin": "1", "extra": 1})
    body = envelope(result)
    assert body["field"] == body["message"].split(":", 1)[0]
    assert "salaryMin" in body["message"] and "extra" in body["message"]


def test_a_put_names_the_field_it_cannot_change(api, job):
    result = api.simulate_put(f"{JOBS}/{job['id']}", json={"status": "Active"})
    assert envelope(result)["field"] == "status"


def test_a_repeated_key_is_named(api):
    result = api.simulate_post(JOBS, body=b'{"title": "a", "title": "b"}',
                               headers={"Content-Type": "application/json"})
    assert envelope(result) == {
        "code": "invalid_request", "message": "title: repeated key", "field": "title",
    }


@pytest.mark.parametrize(("target", "field"), [
    (f"{JOBS}?pageSize=0", "pageSize"),
    (f"{JOBS}?page=x", "page"),
    (f"{JOBS}?status=Open", "status"),
    (f"{JOBS}?colour=red", "colour"),
    (f"{JOBS}?page=1&page=2", "page"),
    (f"{JOBS}/abc", "jobId"),
])
def test_a_bad_parameter_is_named(api, target, field):
    result = api.simulate_get(target)
    assert result.status_code == 400
    assert envelope(result)["field"] == field


def test_a_bad_search_paging_field_is_named(client, services):
    partner = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    result = client.simulate_post("/api/v1/candidates/search", headers=partner.bearer,
                                  json={"query": "kubernetes", "pageSize": 0})
    assert result.status_code == 400
    assert envelope(result)["field"] == "pageSize"


@pytest.mark.parametrize("raw", [b'{"title": ', b"[]", b""])
def test_a_body_that_is_no_json_object_names_no_field(api, raw):
    result = api.simulate_post(JOBS, body=raw, headers={"Content-Type": "application/json"})
    assert result.status_code == 400
    assert "field" not in result.json


def test_errors_of_no_field_have_none(api, job):
    missing = api.simulate_get(f"{JOBS}/999")
    assert (missing.status_code, "field" in missing.json) == (404, False)
    published = api.simulate_post(f"{JOBS}/{job['id']}/publish")
    again = api.simulate_post(f"{JOBS}/{job['id']}/publish")
    assert published.status_code == 200
    assert (again.status_code, "field" in again.json) == (400, False)
    assert json.loads(again.content)["code"] == "invalid_state"
