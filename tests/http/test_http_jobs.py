"""The Job Posting API of SPEC §5 end to end through the app, on every backend."""

from datetime import timedelta

from falcon.testing import TestClient

from itmj_http.app import create_app
from tests.http.support import (
    JOB_BODY,
    JOBS,
    account_state,
    create_job,
    credits_left,
    envelope,
    new_partner,
)


def test_the_first_call_of_a_new_account_is_an_empty_page(api):
    result = api.simulate_get(JOBS)
    assert result.status_code == 200
    assert result.content == b'{"total":0,"page":1,"pageSize":50,"items":[]}'
    assert result.headers["content-type"] == "application/json"


def test_create_answers_201_with_the_whole_draft_and_its_location(api):
    result = api.simulate_post(JOBS, json=JOB_BODY)
    assert result.status_code == 201
    job = result.json
    assert result.headers["location"] == f"{JOBS}/{job['id']}"
    assert job == {
        "id": job["id"],
        "status": "Draft",
        **JOB_BODY,
        "applyUrl": None,
        "salaryMin": None,
        "salaryMax": None,
        "salaryCurrency": None,
        "salaryPeriod": None,
        "postedDate": None,
        "expiryDate": None,
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-01T00:00:00Z",
    }
    assert list(job) == [
        "id", "status", "title", "reference", "description", "city", "country",
        "employmentType", "remoteType", "applyMethod", "applyEmailAddress", "applyUrl",
        "salaryMin", "salaryMax", "salaryCurrency", "salaryPeriod", "postedDate",
        "expiryDate", "createdAt", "updatedAt",
    ]
    assert api.simulate_get(result.headers["location"]).json == job


def test_whole_floats_are_integers_and_offsets_become_utc(api, partner, services):
    job = create_job(api, salaryMin=50000.0, salaryMax=60000, salaryCurrency="GBP",
                     salaryPeriod="Year")
    assert (job["salaryMin"], job["salaryMax"]) == (50000, 60000)
    result = api.simulate_post(f"{JOBS}/{job['id']}/publish",
                               json={"expiryDate": "2026-01-31T02:00:00+02:00"})
    assert result.status_code == 200
    assert result.json["expiryDate"] == "2026-01-31T00:00:00Z"


def test_create_then_publish_as_in_the_spec(api, partner, services):
    job = create_job(api)
    result = api.simulate_post(f"{JOBS}/{job['id']}/publish",
                               json={"expiryDate": "2026-02-01T00:00:00Z"})
    assert result.status_code == 200
    assert result.json["status"] == "Active"
    assert result.json["postedDate"] == "2026-01-01T00:00:00Z"
    assert result.json["expiryDate"] == "2026-02-01T00:00:00Z"
    assert credits_left(services, partner.employer_id) == 4


def test_publish_without_a_body_lists_the_job_for_30_days(api, clock):
    job = create_job(api)
    clock.advance(timedelta(hours=1))
    result = api.simulate_post(f"{JOBS}/{job['id']}/publish")
    assert result.status_code == 200
    assert result.json["postedDate"] == "2026-01-01T01:00:00Z"
    assert result.json["expiryDate"] == "2026-01-31T01:00:00Z"


def test_publish_with_an_empty_object_or_null_expiry_uses_the_default(api):
    for body in ({}, {"expiryDate": None}):
        job = create_job(api)
        result = api.simulate_post(f"{JOBS}/{job['id']}/publish", json=body)
        assert result.json["expiryDate"] == "2026-01-31T00:00:00Z"


def test_publish_refuses_an_expiry_too_far_out_or_in_the_past(api, partner, services):
    job = create_job(api)
    before = account_state(services, partner.employer_id)
    for expiry in ("2026-04-01T00:00:01Z", "2025-12-31T23:59:59Z", "2026-01-01T00:00:00Z"):
        result = api.simulate_post(f"{JOBS}/{job['id']}/publish", json={"expiryDate": expiry})
        assert result.status_code == 400
        assert result.json["code"] == "invalid_request"
        assert result.json["message"].startswith("expiryDate must")
    assert account_state(services, partner.employer_id) == before


def test_an_expiry_exactly_90_days_out_is_allowed(api):
    job = create_job(api)
    result = api.simulate_post(f"{JOBS}/{job['id']}/publish",
                               json={"expiryDate": "2026-04-01T00:00:00Z"})
    assert result.status_code == 200


def test_publish_without_credits_is_402_and_the_job_stays_draft(client, services):
    broke = new_partner(services, credits=0)
    api = TestClient(client.app, headers=broke.bearer)
    job = create_job(api)
    before = account_state(services, broke.employer_id)
    result = api.simulate_post(f"{JOBS}/{job['id']}/publish")
    assert result.status_code == 402
    assert envelope(result) == {"code": "no_credits", "message": "no JobPosting credits left"}
    assert api.simulate_get(f"{JOBS}/{job['id']}").json["status"] == "Draft"
    assert account_state(services, broke.employer_id) == before


def test_publishing_twice_is_invalid_state_and_charges_once(api, partner, services):
    job = create_job(api)
    assert api.simulate_post(f"{JOBS}/{job['id']}/publish").status_code == 200
    again = api.simulate_post(f"{JOBS}/{job['id']}/publish")
    assert again.status_code == 400
    assert again.json["code"] == "invalid_state"
    debits = [e for e in services.credits.entries(partner.employer_id) if e.is_debit]
    assert len(debits) == 1
    assert credits_left(services, partner.employer_id) == 4


def test_put_changes_only_the_fields_sent(api, clock):
    job = create_job(api)
    clock.advance(timedelta(minutes=5))
    result = api.simulate_put(f"{JOBS}/{job['id']}",
                              json={"title": "Head of IT", "salaryMin": 70000})
    assert result.status_code == 200
    assert result.json == {**job, "title": "Head of IT", "salaryMin": 70000,
                           "updatedAt": "2026-01-01T00:05:00Z"}
    assert api.simulate_get(f"{JOBS}/{job['id']}").json == result.json


def test_put_null_clears_an_optional_field(api):
    job = create_job(api)
    result = api.simulate_put(f"{JOBS}/{job['id']}", json={"reference": None, "city": None})
    assert (result.json["reference"], result.json["city"]) == (None, None)


def test_put_can_switch_the_apply_method_in_one_request(api):
    job = create_job(api)
    result = api.simulate_put(f"{JOBS}/{job['id']}", json={
        "applyMethod": "UrlApply", "applyUrl": "https://acme.example/apply",
        "applyEmailAddress": None,
    })
    assert result.status_code == 200
    assert (result.json["applyMethod"], result.json["applyEmailAddress"]) == ("UrlApply", None)


def test_put_on_an_active_job_keeps_it_active(api):
    job = create_job(api)
    published = api.simulate_post(f"{JOBS}/{job['id']}/publish").json
    result = api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "York"})
    assert result.status_code == 200
    assert result.json == {**published, "city": "York"}


def test_put_on_an_inactive_job_is_invalid_state(api, partner, services):
    job = create_job(api)
    api.simulate_delete(f"{JOBS}/{job['id']}")
    before = account_state(services, partner.employer_id)
    result = api.simulate_put(f"{JOBS}/{job['id']}", json={"city": "York"})
    assert result.status_code == 400
    assert envelope(result) == {
        "code": "invalid_state", "message": "a Inactive job cannot be edited"
    }
    assert account_state(services, partner.employer_id) == before


def test_delete_deactivates_and_repeating_it_is_harmless(api, clock):
    job = create_job(api)
    clock.advance(timedelta(minutes=1))
    first = api.simulate_delete(f"{JOBS}/{job['id']}")
    assert first.status_code == 200
    assert first.json == {**job, "status": "Inactive", "updatedAt": "2026-01-01T00:01:00Z"}
    clock.advance(timedelta(minutes=1))
    second = api.simulate_delete(f"{JOBS}/{job['id']}")
    assert second.status_code == 200
    assert second.json == first.json


def test_delete_of_an_active_job_keeps_its_dates(api):
    job = create_job(api)
    published = api.simulate_post(f"{JOBS}/{job['id']}/publish").json
    result = api.simulate_delete(f"{JOBS}/{job['id']}").json
    assert result["status"] == "Inactive"
    assert (result["postedDate"], result["expiryDate"]) == (
        published["postedDate"], published["expiryDate"])


def test_list_pages_newest_first_without_descriptions(api, clock):
    ids = []
    for n in range(3):
        ids.append(create_job(api, reference=f"R{n}")["id"])
        clock.advance(timedelta(seconds=1))
    first = api.simulate_get(JOBS, params={"pageSize": "2"}).json
    assert (first["total"], first["page"], first["pageSize"]) == (3, 1, 2)
    assert [item["id"] for item in first["items"]] == [ids[2], ids[1]]
    second = api.simulate_get(JOBS, params={"page": "2", "pageSize": "2"}).json
    assert [item["id"] for item in second["items"]] == [ids[0]]
    beyond = api.simulate_get(JOBS, params={"page": "3", "pageSize": "2"}).json
    assert (beyond["total"], beyond["items"]) == (3, [])
    full = api.simulate_get(f"{JOBS}/{ids[0]}").json
    item = second["items"][0]
    assert "description" not in item
    assert item == {k: v for k, v in full.items() if k != "description"}


def test_list_filters_by_status(api):
    draft = create_job(api)
    active = create_job(api)
    api.simulate_post(f"{JOBS}/{active['id']}/publish")
    drafts = api.simulate_get(JOBS, params={"status": "Draft"}).json
    assert [item["id"] for item in drafts["items"]] == [draft["id"]]
    actives = api.simulate_get(JOBS, params={"status": "Active"}).json
    assert [item["id"] for item in actives["items"]] == [active["id"]]
    assert api.simulate_get(JOBS, params={"status": "Expired"}).json["total"] == 0


def test_the_largest_page_size_is_100(api):
    assert api.simulate_get(JOBS, params={"pageSize": "100"}).json["pageSize"] == 100


def test_a_partner_sees_only_its_own_jobs(api, client, services):
    create_job(api)
    other = new_partner(services, credits=1)
    other_api = TestClient(client.app, headers=other.bearer)
    assert other_api.simulate_get(JOBS).content == (
        b'{"total":0,"page":1,"pageSize":50,"items":[]}'
    )


def test_another_employers_job_answers_exactly_like_a_missing_one(api, client, services,
                                                                  partner):
    """The foreign id is asked for first while it does not exist, then once it does."""
    # One request id for all, so that the answers can be compared whole.
    intruder = TestClient(client.app, headers={
        **new_partner(services, credits=3).bearer, "X-Request-Id": "same",
    })
    known = create_job(api)["id"]
    upcoming = f"{JOBS}/{known + 1}"
    requests = [
        ("GET", upcoming, None),
        ("PUT", upcoming, {"title": "Hijacked"}),
        ("DELETE", upcoming, None),
        ("POST", f"{upcoming}/publish", None),
    ]
    missing = [intruder.simulate_request(m, path, json=body) for m, path, body in requests]
    assert create_job(api)["id"] == known + 1
    before = account_state(services, partner.employer_id)
    foreign = [intruder.simulate_request(m, path, json=body) for m, path, body in requests]
    for absent, owned_elsewhere in zip(missing, foreign, strict=True):
        assert absent.status_code == owned_elsewhere.status_code == 404
        # RateLimit counts down the intruder's own requests, whatever they asked for.
        assert _without_rate_limit(absent.headers) == _without_rate_limit(
            owned_elsewhere.headers
        )
        assert absent.content == owned_elsewhere.content
        assert absent.json["code"] == "not_found"
    assert account_state(services, partner.employer_id) == before


def _without_rate_limit(headers) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name.lower() != "ratelimit"}


def test_the_app_is_built_only_from_what_it_is_given(services):
    first = TestClient(create_app(services))
    second = TestClient(create_app(services))
    partner = new_partner(services, credits=1)
    job = first.simulate_post(JOBS, json=JOB_BODY, headers=partner.bearer).json
    assert second.simulate_get(f"{JOBS}/{job['id']}", headers=partner.bearer).json == job
