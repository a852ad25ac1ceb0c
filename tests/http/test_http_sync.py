"""Incremental sync over the job and application lists (SPEC §11, §12): cursors, the Link
to the next page, updatedSince and the reference lookup, on every backend."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from falcon.testing import TestClient

from itmj_domain.applications import ApplicationStatus
from tests.http.support import JOBS, create_job, envelope, new_partner
from tests.use_cases.test_webhooks import candidate

_NEXT = re.compile(r'<([^>]+)>; rel="next"')


def next_link(result) -> str | None:
    header = result.headers.get("link")
    if header is None:
        return None
    match = _NEXT.fullmatch(header)
    assert match is not None, header
    return match.group(1)


def follow(api: TestClient, link: str):
    target = urlsplit(link)
    assert (target.scheme, target.netloc) == ("", "")
    return api.simulate_get(target.path, query_string=target.query)


def walk(api: TestClient, path: str, **params: str) -> tuple[list[int], list]:
    """Every id of the list, following the Links; and every answer on the way."""
    answers = [api.simulate_get(path, params=params)]
    while (link := next_link(answers[-1])) is not None:
        answers.append(follow(api, link))
    assert all(answer.status_code == 200 for answer in answers)
    return [item["id"] for answer in answers for item in answer.json["items"]], answers


def test_following_the_links_walks_every_job_once_keeping_the_other_parameters(api, clock):
    made = []
    for n in range(5):
        made.append(create_job(api, reference=f"R{n}")["id"])
        clock.advance(timedelta(seconds=n % 2))
    ids, answers = walk(api, JOBS, pageSize="2", status="Draft")
    assert ids == list(reversed(made))
    assert [a.json["page"] for a in answers] == [1, 2, 3]
    assert all(a.json["total"] == 5 and a.json["pageSize"] == 2 for a in answers)
    for answer in answers[:-1]:
        link = next_link(answer)
        assert link.startswith(f"{JOBS}?pageSize=2&status=Draft&cursor=")
        assert link.endswith(f"cursor={answer.json['nextCursor']}")
    assert "nextCursor" not in answers[-1].json
    assert "link" not in answers[-1].headers


def test_a_cursor_neither_repeats_nor_skips_when_jobs_are_created_or_closed_meanwhile(
    api, clock
):
    made = []
    for _ in range(6):
        made.append(create_job(api)["id"])
        clock.advance(timedelta(seconds=1))
    first = api.simulate_get(JOBS, params={"pageSize": "2"})
    create_job(api)
    assert api.simulate_delete(f"{JOBS}/{made[1]}").status_code == 200
    rest = follow(api, next_link(first))
    rest_ids, _ = walk(api, JOBS, pageSize="2", cursor=first.json["nextCursor"])
    seen = [item["id"] for item in first.json["items"]] + rest_ids
    assert seen == list(reversed(made))
    assert [item["id"] for item in rest.json["items"]] == [made[3], made[2]]
    assert (rest.json["total"], rest.json["page"]) == (7, 2)
    numbered = api.simulate_get(JOBS, params={"pageSize": "2", "page": "2"}).json["items"]
    assert numbered[0]["id"] == first.json["items"][-1]["id"]


def test_a_numbered_page_links_to_the_next_number(api):
    for _ in range(3):
        create_job(api)
    first = api.simulate_get(JOBS, params={"page": "1", "pageSize": "2"})
    assert next_link(first) == f"{JOBS}?pageSize=2&page=2"
    second = follow(api, next_link(first))
    assert (second.json["page"], len(second.json["items"])) == (2, 1)
    assert next_link(second) is None
    assert "nextCursor" in first.json and "nextCursor" not in second.json


@pytest.mark.parametrize("params", [
    {"cursor": "AQAGTPiWEXEhAAAAAAAAACo8qLhpQRVGAw", "page": "1"},
    {"cursor": "not-a-cursor"},
    {"cursor": ""},
    {"cursor": "A" * 34},
    {"updatedSince": "2026-01-01T00:00:00"},
    {"updatedSince": "2026-01-01"},
    {"updatedSince": "yesterday"},
    {"updatedSince": "2026-02-30T00:00:00Z"},
    {"updatedSince": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]},
    {"reference": ""},
    {"reference": "R" * 101},
    {"reference": "R\x00"},
])
def test_bad_sync_parameters_are_invalid_requests(api, params):
    answer = api.simulate_get(JOBS, params=params)
    assert answer.status_code == 400
    assert envelope(answer)["code"] == "invalid_request"


def test_an_altered_cursor_or_one_from_another_list_is_refused(api, services, clock):
    for _ in range(3):
        job = create_job(api)["id"]
    cursor = api.simulate_get(JOBS, params={"pageSize": "1"}).json["nextCursor"]
    flipped = cursor[:5] + ("B" if cursor[5] != "B" else "C") + cursor[6:]
    assert api.simulate_post(f"{JOBS}/{job}/publish").status_code == 200
    for _ in range(2):
        services.applications.submit(job, candidate(services, clock))
    applications = f"{JOBS}/{job}/applications"
    theirs = api.simulate_get(applications, params={"pageSize": "1"}).json["nextCursor"]
    for path, bad in [(JOBS, flipped), (JOBS, theirs), (applications, cursor),
                      (f"{JOBS}/{job - 1}/applications", theirs)]:
        answer = api.simulate_get(path, params={"cursor": bad})
        assert answer.status_code == 400, (path, bad)
        assert envelope(answer) == {
            "code": "invalid_request",
            "message": "cursor: not one this list gave out; start again without it",
        }


def test_updated_since_lists_what_changed_at_or_after_it(api, clock):
    old = create_job(api)["id"]
    clock.advance(timedelta(hours=1))
    edited = create_job(api)["id"]
    since = api.simulate_get(f"{JOBS}/{edited}").json["updatedAt"]
    clock.advance(timedelta(hours=1))
    assert api.simulate_put(f"{JOBS}/{old}", json={"title": "CTO"}).status_code == 200
    changed = api.simulate_get(JOBS, params={"updatedSince": since}).json
    assert [item["id"] for item in changed["items"]] == [edited, old]
    later = api.simulate_get(JOBS, params={"updatedSince": "2026-01-01T02:00:00.000001Z"})
    assert later.json["items"] == []
    # 01:30 UTC written as 03:30 at +02:00, encoded and, as some clients send it, not.
    for query in ["updatedSince=2026-01-01T03:30:00%2B02:00",
                  "updatedSince=2026-01-01T03:30:00+02:00"]:
        answer = api.simulate_get(JOBS, query_string=query)
        assert [item["id"] for item in answer.json["items"]] == [old], query


def test_a_job_is_looked_up_by_its_reference(api, client, services):
    wanted = create_job(api, reference="ATS-77")["id"]
    create_job(api, reference="ATS-7")
    create_job(api, reference="ats-77")
    other = new_partner(services)
    TestClient(client.app, headers=other.bearer).simulate_post(
        JOBS, json={"title": "X", "reference": "ATS-77", "description": "Y",
                    "employmentType": "FullTime", "remoteType": "OnSite",
                    "applyMethod": "PortalApply"},
    )
    found = api.simulate_get(JOBS, params={"reference": "ATS-77"}).json
    assert (found["total"], [item["id"] for item in found["items"]]) == (1, [wanted])
    none = api.simulate_get(JOBS, params={"reference": "ATS-78", "status": "Draft"}).json
    assert (none["total"], none["items"]) == (0, [])


def test_applications_sync_by_cursor_and_updated_since(api, services, clock):
    job = create_job(api)["id"]
    assert api.simulate_post(f"{JOBS}/{job}/publish").status_code == 200
    made = []
    for _ in range(3):
        made.append(services.applications.submit(job, candidate(services, clock)).id)
        clock.advance(timedelta(minutes=1))
    path = f"{JOBS}/{job}/applications"
    ids, answers = walk(api, path, pageSize="2")
    assert ids == list(reversed(made))
    assert next_link(answers[0]).startswith(f"{path}?pageSize=2&cursor=")
    since = clock.now()
    services.applications.move(made[0], ApplicationStatus.SCREENED)
    changed = api.simulate_get(path, params={"updatedSince": since.isoformat()}).json
    assert [item["id"] for item in changed["items"]] == [made[0]]
    refused = api.simulate_get(path, params={"reference": "R"})
    assert refused.status_code == 400


def test_the_link_carries_an_offset_time_that_reads_back_the_same(api, clock):
    made = []
    for _ in range(3):
        made.append(create_job(api)["id"])
        clock.advance(timedelta(minutes=1))
    query = "updatedSince=2026-01-01T02:00:30%2B02:00&pageSize=1"
    first = api.simulate_get(JOBS, query_string=query)
    link = next_link(first)
    assert "updatedSince=2026-01-01T02%3A00%3A30%2B02%3A00" in link
    second = follow(api, link)
    assert [first.json["items"][0]["id"], second.json["items"][0]["id"]] == [made[2], made[1]]
    assert next_link(second) is None


def test_another_employers_cursor_pages_only_the_callers_own_jobs(api, client, services,
                                                                  clock):
    other = new_partner(services)
    other_api = TestClient(client.app, headers=other.bearer)
    theirs = create_job(other_api)["id"]
    clock.advance(timedelta(minutes=1))
    for _ in range(3):
        create_job(api)
    cursor = api.simulate_get(JOBS, params={"pageSize": "1"}).json["nextCursor"]
    page = other_api.simulate_get(JOBS, params={"cursor": cursor}).json
    assert ([item["id"] for item in page["items"]], page["total"]) == ([theirs], 1)
