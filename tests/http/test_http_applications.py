"""GET /api/v1/jobs/{id}/applications[/{applicationId}]: partners read their applications."""

from falcon.testing import TestClient

from itmj_domain.api_keys import Scope
from itmj_domain.applications import ApplicationStatus
from itmj_domain.services.job_board import ApplicationForm
from tests.http.support import JOBS, create_job, envelope, new_partner
from tests.use_cases.test_webhooks import candidate


def published_job(api: TestClient, **overrides: object) -> int:
    job = create_job(api, **overrides)["id"]
    assert api.simulate_post(f"{JOBS}/{job}/publish").status_code == 200
    return job


def test_applications_are_listed_newest_first_with_a_status_filter(api, services, clock):
    job = published_job(api)
    first = services.applications.submit(job, candidate(services, clock))
    second = services.applications.submit(job, candidate(services, clock))
    services.applications.move(first.id, ApplicationStatus.SCREENED)

    listed = api.simulate_get(f"{JOBS}/{job}/applications")
    assert listed.status_code == 200
    assert listed.json["total"] == 2
    assert (listed.json["page"], listed.json["pageSize"]) == (1, 50)
    assert [a["id"] for a in listed.json["items"]] == [second.id, first.id]
    screened = api.simulate_get(f"{JOBS}/{job}/applications", params={"status": "Screened"})
    assert [a["id"] for a in screened.json["items"]] == [first.id]
    paged = api.simulate_get(f"{JOBS}/{job}/applications", params={"pageSize": "1", "page": "2"})
    assert [a["id"] for a in paged.json["items"]] == [first.id]


def test_one_application_has_every_field(api, services, clock):
    job = published_job(api)
    cid = candidate(services, clock)
    application = services.applications.submit(job, cid)
    answer = api.simulate_get(f"{JOBS}/{job}/applications/{application.id}")
    stamp = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert answer.status_code == 200
    assert answer.json == {
        "id": application.id,
        "jobId": job,
        "candidateId": cid,
        "status": "New",
        "applicationType": "EmailApply",
        "appliedAt": stamp,
        "updatedAt": stamp,
        "applicant": {"name": "Pat Example", "email": "pat@example.com", "phone": None,
                      "coverNote": None, "cvText": None},
    }


def test_another_employers_application_is_not_found_like_a_missing_one(
    api, client, services, clock
):
    job = published_job(api)
    application = services.applications.submit(job, candidate(services, clock))
    intruder = TestClient(client.app, headers=new_partner(services, credits=1).bearer)
    foreign = intruder.simulate_get(f"{JOBS}/{job}/applications/{application.id}")
    missing = intruder.simulate_get(f"{JOBS}/{job}/applications/{application.id + 1}")
    assert foreign.status_code == missing.status_code == 404
    assert envelope(foreign) == {"code": "not_found", "message": foreign.json["message"]}
    assert intruder.simulate_get(f"{JOBS}/{job}/applications").status_code == 404
    other_job = published_job(api)
    wrong_job = api.simulate_get(f"{JOBS}/{other_job}/applications/{application.id}")
    assert wrong_job.status_code == 404


def test_bad_parameters_are_invalid_requests(api):
    job = published_job(api)
    for path, params in [
        (f"{JOBS}/{job}/applications", {"status": "Hired!"}),
        (f"{JOBS}/{job}/applications", {"pageSize": "101"}),
        (f"{JOBS}/x/applications", None),
        (f"{JOBS}/{job}/applications/0", None),
    ]:
        answer = api.simulate_get(path, params=params)
        assert answer.status_code == 400, path
        assert answer.json["code"] == "invalid_request"


def test_a_cv_search_key_may_not_read_applications(client, services):
    searcher = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    answer = client.simulate_get(f"{JOBS}/1/applications", headers=searcher.bearer)
    assert answer.status_code == 403
    assert client.simulate_get(f"{JOBS}/1/applications").status_code == 401


def test_an_applicant_from_the_job_page_comes_with_everything_they_sent(api, services):
    job = published_job(api, applyMethod="PortalApply", applyEmailAddress=None)
    application = services.job_board.apply(job, ApplicationForm(
        name="Grace Hopper", email="grace@navy.example", phone="+1 202 555 0100",
        cover_note="I wrote the first compiler.", cv_file=None, cv_text="COBOL\n\nCompilers",
    ), "203.0.113.7")
    expected = {"name": "Grace Hopper", "email": "grace@navy.example",
                "phone": "+1 202 555 0100", "coverNote": "I wrote the first compiler.",
                "cvText": "COBOL\n\nCompilers"}
    one = api.simulate_get(f"{JOBS}/{job}/applications/{application.id}")
    assert (one.status_code, one.json["applicant"]) == (200, expected)
    assert one.json["applicationType"] == "PortalApply"
    listed = api.simulate_get(f"{JOBS}/{job}/applications")
    assert [item["applicant"] for item in listed.json["items"]] == [expected]
