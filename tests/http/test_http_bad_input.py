"""Bad input always gets a clear 400/413/415 naming what is wrong, and changes nothing."""

import io
import json

import pytest

from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_http.request_body import MAX_BODY_BYTES
from tests.http.support import JOB_BODY, JOBS, account_state, create_job, envelope, new_partner


@pytest.fixture
def job(api) -> dict:
    return create_job(api)


@pytest.fixture
def unchanged(services, partner, job):
    """Asserts, after the test, that the partner's jobs and ledger are as they were."""
    before = account_state(services, partner.employer_id)
    yield
    assert account_state(services, partner.employer_id) == before


def assert_invalid(result, *fragments: str, status: int = 400) -> None:
    assert result.status_code == status, result.text
    assert {"code", "message", "requestId"} <= set(result.json)
    assert set(result.json) <= {"code", "message", "field", "requestId"}
    assert result.json["code"] == "invalid_request"
    # The field at fault, when there is one, is the one the message names first.
    if "field" in result.json:
        assert result.json["message"].startswith(result.json["field"])
    for fragment in fragments:
        assert fragment in result.json["message"]


def without(field: str) -> dict:
    return {k: v for k, v in JOB_BODY.items() if k != field}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({**JOB_BODY, "salaryMin": True}, "salaryMin: expected an integer"),
        ({**JOB_BODY, "salaryMin": "50000"}, "salaryMin: expected an integer"),
        ({**JOB_BODY, "salaryMin": 50000.5}, "salaryMin: expected an integer"),
        ({**JOB_BODY, "salaryMax": 10**20}, "salaryMax: integer out of range"),
        ({**JOB_BODY, "salaryMax": 1e300}, "salaryMax: integer out of range"),
        ({**JOB_BODY, "salaryMin": -1}, "salaryMin must be between"),
        ({**JOB_BODY, "salaryMin": 9, "salaryMax": 8}, "salaryMin must not exceed salaryMax"),
        ({**JOB_BODY, "salaryCurrency": "pounds"}, "salaryCurrency must be"),
        ({**JOB_BODY, "salaryPeriod": "Weekly"}, "salaryPeriod: expected one of Hour"),
        ({**JOB_BODY, "employmentType": "fulltime"}, "employmentType: expected one of FullTime"),
        ({**JOB_BODY, "remoteType": 1}, "remoteType: expected one of OnSite"),
        ({**JOB_BODY, "title": 123}, "title: expected a string"),
        ({**JOB_BODY, "title": ["IT Manager"]}, "title: expected a string"),
        ({**JOB_BODY, "title": "   "}, "title must not be blank"),
        ({**JOB_BODY, "title": "x" * 201}, "title must be at most 200 characters"),
        ({**JOB_BODY, "title": "IT\u0000Manager"}, "title: must not contain NUL"),
        ({**JOB_BODY, "title": "\ud800"}, "title: must be valid Unicode"),
        ({**JOB_BODY, "title": None}, "title: expected a string"),
        (without("title"), "title: required field missing"),
        (without("employmentType"), "employmentType: required field missing"),
        (without("applyEmailAddress"), "applyEmailAddress is required when applyMethod"),
        ({**JOB_BODY, "applyEmailAddress": "nobody"}, "applyEmailAddress must be"),
        ({**JOB_BODY, "applyUrl": "https://acme.example"}, "applyUrl is only allowed"),
        ({**JOB_BODY, "applyMethod": "UrlApply", "applyEmailAddress": None,
          "applyUrl": "ftp://acme.example"}, "applyUrl must be an http(s) URL"),
        ({**JOB_BODY, "status": "Active"}, "status: unknown field"),
        ({**JOB_BODY, "id": 7}, "id: unknown field"),
        ({**JOB_BODY, "apply_method": "EmailApply"}, "apply_method: unknown field"),
        ({**JOB_BODY, "x" * 5000: 1}, "x" * 64 + "…: unknown field"),
        ({}, "title: required field missing"),
    ],
)
def test_create_refuses_bad_fields_naming_them(api, unchanged, body, expected):
    # Sent with ASCII escapes, as a partner's JSON library would send a lone surrogate.
    result = api.simulate_post(JOBS, body=json.dumps(body),
                               headers={"Content-Type": "application/json"})
    assert_invalid(result, expected)


def test_every_bad_field_is_named_at_once(api, unchanged):
    result = api.simulate_post(JOBS, json={**without("title"), "salaryMin": "1", "extra": 1})
    assert_invalid(result, "title: required field missing", "salaryMin: expected an integer",
                   "extra: unknown field")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"title": "IT Manager"', "body: malformed JSON"),
        (b"", "body: a JSON object is required"),
        (b"[]", "body: expected a JSON object"),
        (b"null", "body: expected a JSON object"),
        (b'"job"', "body: expected a JSON object"),
        (b'{"salaryMin": NaN}', "body: malformed JSON"),
        (b'{"salaryMin": Infinity}', "body: malformed JSON"),
        (b'{"title": "a", "title": "b"}', "title: repeated key"),
        (b"\xff\xfe{}", "body: malformed JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "body: malformed JSON"),
        (b'{"salaryMin": ' + b"9" * 5000 + b"}", "body: malformed JSON"),
    ],
)
def test_create_refuses_bodies_that_are_not_a_json_object(api, unchanged, raw, expected):
    result = api.simulate_post(JOBS, body=raw, headers={"Content-Type": "application/json"})
    assert_invalid(result, expected)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": "Active"}, "status: cannot be changed"),
        ({"postedDate": "2026-01-01T00:00:00Z"}, "postedDate: cannot be changed"),
        ({"expiryDate": None}, "expiryDate: cannot be null"),
        ({"expiryDate": "2026-01-02"}, "expiryDate: expected an ISO 8601 timestamp"),
        ({"updatedAt": "2026-01-01T00:00:00Z"}, "updatedAt: cannot be changed"),
        ({"id": 1}, "id: cannot be changed"),
        ({"createdAt": "2026-01-01T00:00:00Z"}, "createdAt: cannot be changed"),
        ({"colour": "red"}, "colour: unknown field"),
        ({"title": None}, "title: required field cannot be null"),
        ({"applyMethod": None}, "applyMethod: required field cannot be null"),
        ({"salaryMin": False}, "salaryMin: expected an integer"),
        ({"salaryMin": "1"}, "salaryMin: expected an integer"),
        ({"remoteType": "Remote"}, "remoteType: expected one of OnSite"),
        ({"title": 5, "city": 6}, "title: expected a string; city: expected a string"),
        ({"applyEmailAddress": None}, "applyEmailAddress is required when applyMethod"),
        ({"applyMethod": "UrlApply"}, "applyEmailAddress is only allowed"),
        ({"salaryMin": 10, "salaryMax": 5}, "salaryMin must not exceed salaryMax"),
        ({}, "body: name at least one field to change"),
    ],
)
def test_put_refuses_bad_changes_naming_them(api, job, unchanged, changes, expected):
    assert_invalid(api.simulate_put(f"{JOBS}/{job['id']}", json=changes), expected)


def test_put_needs_a_body(api, job, unchanged):
    assert_invalid(api.simulate_put(f"{JOBS}/{job['id']}"), "body: a JSON object is required")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"expiryDate": "2026-02-01T00:00:00"}, "expiryDate: expected an ISO 8601 timestamp"),
        ({"expiryDate": "2026-02-01"}, "expiryDate: expected an ISO 8601 timestamp"),
        ({"expiryDate": "1 Feb 2026"}, "expiryDate: expected an ISO 8601 timestamp"),
        ({"expiryDate": "2026-02-30T00:00:00Z"}, "expiryDate: expected an ISO 8601 timestamp"),
        ({"expiryDate": "2026-02-01T00:00:00+25:00"}, "expiryDate: expected an ISO 8601"),
        ({"expiryDate": 1769904000}, "expiryDate: expected an ISO 8601 timestamp"),
        ({"expiryDate": "2026-04-01T00:00:01Z"}, "expiryDate must be at most 90 days"),
        ({"expiryDate": "2025-12-31T00:00:00Z"}, "expiryDate must be in the future"),
        ({"expires": "2026-02-01T00:00:00Z"}, "expires: unknown field"),
    ],
)
def test_publish_refuses_a_bad_expiry_naming_it(api, job, unchanged, body, expected):
    assert_invalid(api.simulate_post(f"{JOBS}/{job['id']}/publish", json=body), expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("page=0", "page: expected an integer between 1 and"),
        ("page=-1", "page: expected an integer"),
        ("page=%2B1", "page: expected an integer"),
        ("page=1.5", "page: expected an integer"),
        ("page=abc", "page: expected an integer"),
        ("page=", "page: expected an integer"),
        ("page=99999999999999999999", "page: expected an integer"),
        ("pageSize=0", "pageSize: expected an integer between 1 and 100"),
        ("pageSize=101", "pageSize: expected an integer between 1 and 100"),
        ("pageSize=%EF%BC%91", "pageSize: expected an integer"),
        ("page=1&page=2", "page: given more than once"),
        ("status=draft", "status: expected one of Draft, Active, Expired, Inactive"),
        ("status=Draft&status=Active", "status: given more than once"),
        ("sort=title", "sort: unknown query parameter"),
    ],
)
def test_list_refuses_bad_query_parameters_naming_them(api, query, expected):
    assert_invalid(api.simulate_get(JOBS, query_string=query), expected)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "", JOB_BODY),
        ("GET", "/{id}", None),
        ("PUT", "/{id}", {"city": "York"}),
        ("DELETE", "/{id}", None),
        ("POST", "/{id}/publish", None),
        ("GET", "/{id}/applications/1", None),
    ],
)
def test_every_job_endpoint_refuses_unknown_query_parameters(api, job, unchanged, method, path,
                                                             body):
    target = JOBS + path.format(id=job["id"])
    result = api.simulate_request(method, target, query_string="dryRun=1", json=body)
    assert_invalid(result, "dryRun: unknown query parameter")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/candidates/search", {"query": "engineer"}),
        ("GET", "/api/v1/candidates/1", None),
        ("GET", "/api/v1/countries", None),
    ],
)
def test_the_cv_endpoints_refuse_unknown_query_parameters_and_charge_nothing(
    services, client, method, path, body
):
    partner = new_partner(services, scopes=frozenset(Scope))
    for kind in (CreditKind.CV_SEARCH, CreditKind.CV_DOWNLOAD):
        services.credits.grant(partner.employer_id, kind, 1)
    before = services.credits.entries(partner.employer_id)
    result = client.simulate_request(method, path, query_string="fields=email", json=body,
                                     headers=partner.bearer)
    assert_invalid(result, "fields: unknown query parameter")
    assert services.credits.entries(partner.employer_id) == before


@pytest.mark.parametrize(
    "raw_id",
    ["abc", "0", "-1", "1.0", "1e3", "%2B1", "%EF%BC%91", "9223372036854775808",
     "99999999999999999999999999"],
)
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("GET", "", None), ("PUT", "", {"city": "York"}), ("DELETE", "", None),
     ("POST", "/publish", None)],
)
def test_ids_in_the_path_must_be_positive_int64(api, unchanged, raw_id, method, suffix, body):
    result = api.simulate_request(method, f"{JOBS}/{raw_id}{suffix}", json=body)
    assert_invalid(result, "jobId: expected a positive integer")


def test_the_largest_int64_id_is_a_valid_id_that_does_not_exist(api):
    result = api.simulate_get(f"{JOBS}/9223372036854775807")
    assert result.status_code == 404
    assert result.json["code"] == "not_found"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml",
                                          "application/x-www-form-urlencoded",
                                          "application/jsonp"])
def test_a_body_that_is_not_json_is_415(api, job, unchanged, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    for method, path in [("POST", JOBS), ("PUT", f"{JOBS}/{job['id']}"),
                         ("POST", f"{JOBS}/{job['id']}/publish")]:
        result = api.simulate_request(method, path, body=b"{}", headers=headers)
        assert_invalid(result, "application/json", status=415)


def test_json_with_a_charset_parameter_is_accepted(api):
    result = api.simulate_post(JOBS, body=json.dumps(JOB_BODY),
                               headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert result.status_code == 201


def padded(size: int) -> bytes:
    """A valid job body padded with whitespace to exactly ``size`` bytes."""
    raw = json.dumps(JOB_BODY).encode()
    return raw[:-1] + b" " * (size - len(raw)) + b"}"


def test_a_body_of_exactly_one_mebibyte_is_accepted(api):
    result = api.simulate_post(JOBS, body=padded(MAX_BODY_BYTES),
                               headers={"Content-Type": "application/json"})
    assert result.status_code == 201


def test_a_body_over_one_mebibyte_is_413(api, unchanged):
    result = api.simulate_post(JOBS, body=padded(MAX_BODY_BYTES + 1),
                               headers={"Content-Type": "application/json"})
    assert_invalid(result, "at most 1048576 bytes", status=413)


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it the app read."""

    def __init__(self, size: int) -> None:
        super().__init__(b" " * size)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_a_declared_length_over_the_limit_is_refused_before_reading(api, unchanged):
    stream = CountingStream(10)
    result = api.simulate_post(
        JOBS, headers={"Content-Type": "application/json"},
        extras={"wsgi.input": stream, "CONTENT_LENGTH": str(MAX_BODY_BYTES + 1)},
    )
    assert_invalid(result, "at most", status=413)
    assert stream.bytes_read == 0


def test_a_body_without_a_length_is_read_no_further_than_the_limit(api, unchanged):
    stream = CountingStream(5 * MAX_BODY_BYTES)
    result = api.simulate_post(
        JOBS, headers={"Content-Type": "application/json"},
        extras={"wsgi.input": stream, "CONTENT_LENGTH": "", "wsgi.input_terminated": True},
    )
    assert_invalid(result, "at most", status=413)
    assert stream.bytes_read == MAX_BODY_BYTES + 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", f"{JOBS}/1"), ("POST", f"{JOBS}/1"), ("DELETE", JOBS), ("PUT", JOBS),
     ("GET", f"{JOBS}/1/publish")],
)
def test_an_unsupported_method_is_405_with_the_envelope(api, unchanged, method, path):
    result = api.simulate_request(method, path)
    assert_invalid(result, "method not allowed", status=405)
    assert "allow" in result.headers


def test_an_unknown_route_is_404_with_the_envelope(api):
    # "/" is the portal's start page, and paths under it are the portal's (HTML) pages.
    for path in ("/api/v1/nothing", f"{JOBS}/1/archive", "/api/v2/jobs", "/nothing"):
        result = api.simulate_get(path)
        assert result.status_code == 404
        assert envelope(result) == {"code": "not_found", "message": "no such resource"}
