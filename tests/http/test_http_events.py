"""GET /api/v1/events: the employer's events of the last 30 days, oldest first, in the
webhook's body shape, paged by an opaque cursor; free, for any valid key (SPEC §12)."""

import json

import pytest
from falcon.testing import TestClient

from itmj_adapters.testing import RecordingSender
from itmj_domain.api_keys import Scope
from itmj_domain.applications import ApplicationStatus
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE
from itmj_http.app import create_app
from itmj_http.event_resources import cursor
from tests.http.support import JOBS, create_job, envelope, new_partner
from tests.use_cases.test_webhooks import candidate

EVENTS = "/api/v1/events"


@pytest.fixture
def receiver() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def services(make_services, receiver):
    return make_services(webhook_sender=receiver)


@pytest.fixture
def client(services) -> TestClient:
    return TestClient(create_app(services))


def published_job(api: TestClient) -> int:
    job = create_job(api)["id"]
    assert api.simulate_post(f"{JOBS}/{job}/publish").status_code == 200
    return job


def test_events_are_listed_in_the_webhooks_shape_oldest_first(
    api, partner, services, clock, receiver
):
    services.webhooks.subscribe(partner.employer_id, "https://ats.example.com/h", SUBSCRIBABLE)
    job = published_job(api)
    application = services.applications.submit(job, candidate(services, clock))
    services.applications.move(application.id, ApplicationStatus.SCREENED)

    answer = api.simulate_get(EVENTS)

    assert answer.status_code == 200
    sent = [json.loads(request.body) for request in receiver.requests]
    assert answer.json == {"items": sent, "nextCursor": cursor(2), "hasMore": False}
    assert [item["sequence"] for item in answer.json["items"]] == [1, 2]
    assert answer.json["items"][1]["data"]["jobPostId"] == job
    assert answer.json["items"][1]["data"]["reference"] == "ATS-1234"


def test_the_cursor_pages_on_and_an_empty_page_keeps_the_place(api, services, clock):
    job = published_job(api)
    for _ in range(3):
        services.applications.submit(job, candidate(services, clock))

    answer = api.simulate_get(EVENTS, params={"limit": "2"})
    first = answer.json
    rest = api.simulate_get(EVENTS, params={"limit": "2", "after": first["nextCursor"]}).json
    caught_up = api.simulate_get(EVENTS, params={"after": rest["nextCursor"]}).json

    link = answer.headers["Link"]
    assert link == f'<{EVENTS}?after={first["nextCursor"]}&limit=2>; rel="next"'
    target = link[1:link.index(">")]
    assert api.simulate_get(target.split("?")[0], query_string=target.split("?")[1]).json == rest

    assert [[i["sequence"] for i in page["items"]] for page in (first, rest, caught_up)] == [
        [1, 2], [3], []
    ]
    assert [page["hasMore"] for page in (first, rest, caught_up)] == [True, False, False]
    assert caught_up["nextCursor"] == rest["nextCursor"]
    assert "Link" not in api.simulate_get(EVENTS, params={"after": rest["nextCursor"]}).headers


def test_an_account_without_events_has_no_cursor_yet(api):
    assert api.simulate_get(EVENTS).json == {"items": [], "nextCursor": None, "hasMore": False}


def test_a_type_filters_the_events(api, services, clock):
    job = published_job(api)
    application = services.applications.submit(job, candidate(services, clock))
    services.applications.move(application.id, ApplicationStatus.SCREENED)
    services.applications.submit(job, candidate(services, clock))
    answer = api.simulate_get(EVENTS, params={"type": "application.status_changed"})
    assert [i["event"] for i in answer.json["items"]] == ["application.status_changed"]
    assert answer.json["nextCursor"] == cursor(2)
    submitted = api.simulate_get(EVENTS, params={"type": "application.submitted", "limit": "1"})
    assert submitted.headers["Link"] == (
        f'<{EVENTS}?after={cursor(1)}&type=application.submitted&limit=1>; rel="next"'
    )


@pytest.mark.parametrize("params", [
    {"type": "webhook.test"},
    {"type": "job.created"},
    {"after": "not-a-cursor"},
    {"after": cursor(1) + "="},
    {"after": "c2VxOi0x"},  # "seq:-1"
    {"limit": "0"},
    {"limit": "1001"},
    {"limit": "ten"},
    {"page": "2"},
])
def test_bad_parameters_are_refused_in_the_envelope(api, params):
    answer = api.simulate_get(EVENTS, params=params)
    assert answer.status_code == 400
    assert envelope(answer)["code"] == "invalid_request"
    assert next(iter(params)) in answer.json["message"]


def test_a_repeated_parameter_is_refused(api):
    answer = api.simulate_get(EVENTS, query_string=f"after={cursor(1)}&after={cursor(2)}")
    assert answer.status_code == 400


def test_any_valid_key_of_the_employer_reads_them_and_no_other_employer(
    api, client, partner, services, clock
):
    job = published_job(api)
    services.applications.submit(job, candidate(services, clock))
    search_only = services.accounts.mint_key(
        partner.employer_id, "search only", frozenset({Scope.CV_SEARCH})
    ).plaintext
    searcher = TestClient(client.app, headers={"Authorization": f"Bearer {search_only}"})
    rival = TestClient(client.app, headers=new_partner(services).bearer)

    assert len(api.simulate_get(EVENTS).json["items"]) == 1
    assert searcher.simulate_get(EVENTS).json == api.simulate_get(EVENTS).json
    assert rival.simulate_get(EVENTS).json == {"items": [], "nextCursor": None, "hasMore": False}
    cursor_of_mine = api.simulate_get(EVENTS).json["nextCursor"]
    assert rival.simulate_get(EVENTS, params={"after": cursor_of_mine}).json["items"] == []
    assert client.simulate_get(EVENTS).status_code == 401


def test_reading_events_is_rate_limited_with_the_jobs_family(api):
    answer = api.simulate_get(EVENTS)
    assert answer.headers["RateLimit-Policy"] == '"jobs";q=100;w=60'
