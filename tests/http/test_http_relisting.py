"""Relisting (publish on an Expired or Inactive job) and extending (PUT expiryDate on an
Active job) through the API (SPEC §12), on every backend."""

from datetime import timedelta

from falcon.testing import TestClient

from tests.http.support import (
    JOBS,
    account_state,
    create_job,
    credits_left,
    envelope,
    new_partner,
)


def publish(api: TestClient, job_id: int, **body: str):
    return api.simulate_post(f"{JOBS}/{job_id}/publish", json=body or None)


def test_an_inactive_job_is_relisted_for_one_credit_keeping_its_id(api, partner, services,
                                                                     clock):
    job = create_job(api)
    first = publish(api, job["id"]).json
    api.simulate_delete(f"{JOBS}/{job['id']}")
    clock.advance(timedelta(days=2))
    relisted = publish(api, job["id"], expiryDate="2026-01-10T00:00:00Z")
    assert relisted.status_code == 200
    assert (relisted.json["id"], relisted.json["status"]) == (job["id"], "Active")
    assert (relisted.json["postedDate"], relisted.json["expiryDate"]) == (
        "2026-01-03T00:00:00Z", "2026-01-10T00:00:00Z")
    assert relisted.json["createdAt"] == first["createdAt"]
    assert credits_left(services, partner.employer_id) == 3


def test_an_expired_job_is_relisted_and_takes_applications_again(api, partner, services,
                                                                   clock):
    job = create_job(api)
    publish(api, job["id"], expiryDate="2026-01-02T00:00:00Z")
    clock.advance(timedelta(days=1))
    services.job_expiry.expire_due()
    assert api.simulate_get(f"{JOBS}/{job['id']}").json["status"] == "Expired"
    relisted = publish(api, job["id"])
    assert (relisted.status_code, relisted.json["status"]) == (200, "Active")
    assert relisted.json["expiryDate"] == "2026-02-01T00:00:00Z"
    assert credits_left(services, partner.employer_id) == 3


def test_relisting_without_credit_is_402_and_the_job_stays_closed(client, services):
    broke = new_partner(services, credits=1)
    api = TestClient(client.app, headers=broke.bearer)
    job = create_job(api)
    publish(api, job["id"])
    api.simulate_delete(f"{JOBS}/{job['id']}")
    before = account_state(services, broke.employer_id)
    refused = publish(api, job["id"])
    assert refused.status_code == 402
    assert envelope(refused)["code"] == "no_credits"
    assert api.simulate_get(f"{JOBS}/{job['id']}").json["status"] == "Inactive"
    assert account_state(services, broke.employer_id) == before


def test_publishing_an_active_job_stays_invalid_state(api, partner, services):
    job = create_job(api)
    publish(api, job["id"])
    again = publish(api, job["id"])
    assert envelope(again) == {
        "code": "invalid_state",
        "message": "the job is already Active; change its expiryDate with an edit instead",
    }
    assert credits_left(services, partner.employer_id) == 4


def test_put_extends_an_active_job_for_free_up_to_90_days_from_now(api, partner, services,
                                                                    clock):
    job = create_job(api)
    published = publish(api, job["id"]).json
    clock.advance(timedelta(days=10))
    extended = api.simulate_put(f"{JOBS}/{job['id']}",
                                json={"expiryDate": "2026-04-11T00:00:00Z", "city": "York"})
    assert extended.status_code == 200
    assert (extended.json["expiryDate"], extended.json["city"]) == ("2026-04-11T00:00:00Z",
                                                                    "York")
    assert extended.json["postedDate"] == published["postedDate"]
    assert extended.json["updatedAt"] == "2026-01-11T00:00:00Z"
    assert credits_left(services, partner.employer_id) == 4
    shortened = api.simulate_put(f"{JOBS}/{job['id']}",
                                 json={"expiryDate": "2026-01-12T00:00:00+01:00"})
    assert shortened.json["expiryDate"] == "2026-01-11T23:00:00Z"


def test_put_refuses_an_expiry_out_of_range_and_changes_nothing(api):
    job = create_job(api)
    publish(api, job["id"])
    before = api.simulate_get(f"{JOBS}/{job['id']}").json
    for expiry in ("2026-04-01T00:00:01Z", "2026-01-01T00:00:00Z", "2025-12-31T00:00:00Z"):
        refused = api.simulate_put(f"{JOBS}/{job['id']}",
                                   json={"expiryDate": expiry, "title": "Changed"})
        assert (refused.status_code, refused.json["code"]) == (400, "invalid_request")
        assert "expiryDate" in refused.json["message"]
    assert api.simulate_get(f"{JOBS}/{job['id']}").json == before


def test_put_gives_a_draft_no_expiry_date(api):
    job = create_job(api)
    refused = api.simulate_put(f"{JOBS}/{job['id']}",
                               json={"expiryDate": "2026-01-05T00:00:00Z", "title": "CTO"})
    assert envelope(refused) == {
        "code": "invalid_state",
        "message": "only an Active job's expiryDate can be changed; a Draft gets one when it "
                   "is published",
    }
    assert api.simulate_get(f"{JOBS}/{job['id']}").json == job
