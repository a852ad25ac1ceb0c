"""GET /metrics under ``itmj serve --workers 2`` on PostgreSQL: the counters of every worker,
read through prometheus-client's multiprocess mode, equal what a scripted journey did:
publishes, searches by backend, candidate unlocks, 402s by kind and, with the limits shared
through Redis, 429s by policy."""

import json
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from itmj_adapters.prometheus_requests import FLUSH_SECONDS
from tests.cli.test_cli_serve import serving
from tests.http.support import JOB_BODY


def _call(method: str, url: str, key: str, body: dict | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status == 201:
                return json.loads(response.read())["id"]
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _search(base_url: str, key: str) -> list[int]:
    request = urllib.request.Request(
        f"{base_url}/api/v1/candidates/search",
        data=json.dumps({"query": "engineer OR developer", "pageSize": 20}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return [item["id"] for item in json.loads(response.read())["items"]]


def _scrape(base_url: str) -> dict[tuple[str, frozenset], float]:
    with urllib.request.urlopen(f"{base_url}/metrics", timeout=30) as response:
        page = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


def _samples(base_url: str) -> dict[tuple[str, frozenset], float]:
    """The page once every worker has written the requests it counted (each does every
    ``FLUSH_SECONDS``): two scrapes that far apart count the same requests, but for the
    scrapes themselves."""
    def settled(samples: dict) -> dict:
        return {sample: value for sample, value in samples.items()
                if sample[0].startswith("itmj_http_") and ("route", "/metrics") not in sample[1]}

    latest = _scrape(base_url)
    for _ in range(20):
        time.sleep(FLUSH_SECONDS * 1.5)
        previous, latest = latest, _scrape(base_url)
        if settled(previous) == settled(latest):
            return latest
    raise AssertionError("the workers' metrics never settled")


@pytest.mark.postgres
def test_the_counters_equal_the_journey_across_two_workers(
    start_itmj, tmp_path, clean_database
) -> None:
    env = {"ITMJ_METRICS": "1", "ITMJ_METRICS_DIR": str(tmp_path / "metrics")}
    with serving(start_itmj, tmp_path, "--workers", "2", database_url=clean_database,
                 env=env) as server:
        # The demo seed publishes jobs of its own: the journey is measured from here.
        before = _samples(server.base_url)
        key = server.seeded["keys"]["jobPosting"]
        jobs = f"{server.base_url}/api/v1/jobs"
        # A connection per request: the kernel spreads them over both workers.
        created = [_call("POST", jobs, key, JOB_BODY) for _ in range(3)]
        published = [_call("POST", f"{jobs}/{job}/publish", key) for job in created]
        listed = [_call("GET", jobs, key) for _ in range(4)]
        # Searches, then unlocks until the demo's 10 CvDownload credits run out.
        searcher = server.seeded["keys"]["cvSearch"]
        found, *_ = [_search(server.base_url, searcher) for _ in range(3)]
        candidates = f"{server.base_url}/api/v1/candidates"
        viewed = [_call("GET", f"{candidates}/{cid}", searcher) for cid in found[:11]]
        again = _call("GET", f"{candidates}/{found[0]}", searcher)  # its window is open
        after = _samples(server.base_url)

    def up(name: str, **labels: str) -> float:
        sample = (name, frozenset(labels.items()))
        return after.get(sample, 0) - before.get(sample, 0)

    assert published == [200] * 3 and listed == [200] * 4, server.log.read_text()
    assert up("itmj_credits_debited_total", kind="JobPosting") == 3
    assert up("itmj_http_requests_total", route="/api/v1/jobs", method="GET", status="200") == 4
    assert up("itmj_http_requests_total", route="/api/v1/jobs/{job_id}/publish",
              method="POST", status="200") == 3
    assert up("itmj_http_requests_total", route="/api/v1/jobs", method="POST",
              status="201") == 3
    assert len(found) >= 11 and viewed == [200] * 10 + [402] and again == 200, viewed
    assert up("itmj_searches_total", backend="memory") == 3
    assert up("itmj_search_duration_seconds_count", backend="memory") == 3
    assert up("itmj_credits_debited_total", kind="CvSearch") == 3
    assert up("itmj_candidate_unlocks_total") == 10
    assert up("itmj_credits_debited_total", kind="CvDownload") == 10
    assert up("itmj_payments_refused_total", kind="CvDownload") == 1
    assert up("itmj_payments_refused_total", kind="JobPosting") == 0
    assert up("itmj_http_requests_total", route="/api/v1/candidates/{candidate_id}",
              method="GET", status="200") == 11
    assert up("itmj_http_requests_total", route="/api/v1/candidates/{candidate_id}",
              method="GET", status="402") == 1
    assert up("itmj_http_requests_total", route="/api/v1/candidates/search",
              method="POST", status="200") == 3
    assert after[("itmj_outbox_lag_seconds", frozenset())] >= 0
    assert ("itmj_db_pool_in_use", frozenset()) in after


@pytest.mark.postgres
def test_429s_count_by_policy_with_the_limits_shared_across_two_workers(
    start_itmj, tmp_path, clean_database, redis_url
) -> None:
    env = {"ITMJ_METRICS": "1", "ITMJ_METRICS_DIR": str(tmp_path / "metrics"),
           "ITMJ_REDIS_URL": redis_url, "ITMJ_BENCH_RATE_LIMIT": "5"}
    with serving(start_itmj, tmp_path, "--workers", "2", database_url=clean_database,
                 env=env) as server:
        before = _samples(server.base_url)
        key = server.seeded["keys"]["jobPosting"]
        listed = [_call("GET", f"{server.base_url}/api/v1/jobs", key) for _ in range(8)]
        after = _samples(server.base_url)

    def up(name: str, **labels: str) -> float:
        sample = (name, frozenset(labels.items()))
        return after.get(sample, 0) - before.get(sample, 0)

    # Two workers each counting alone would have let up to 10 through.
    assert listed == [200] * 5 + [429] * 3, server.log.read_text()
    assert up("itmj_rate_limited_total", policy="jobs") == 3
    assert up("itmj_http_requests_total", route="/api/v1/jobs", method="GET",
              status="429") == 3
    assert ("itmj_rate_limited_total", frozenset({("policy", "candidate-search")})) \
        not in after
