"""GET /metrics under ``itmj serve --workers 2`` on PostgreSQL: the counters of every worker,
read through prometheus-client's multiprocess mode, equal what a scripted journey did."""

import json
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

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


def _samples(base_url: str) -> dict[tuple[str, frozenset], float]:
    with urllib.request.urlopen(f"{base_url}/metrics", timeout=30) as response:
        page = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


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
        after = _samples(server.base_url)

    def up(name: str, **labels: str) -> float:
        sample = (name, frozenset(labels.items()))
        return after[sample] - before.get(sample, 0)

    assert published == [200] * 3 and listed == [200] * 4, server.log.read_text()
    assert up("itmj_credits_debited_total", kind="JobPosting") == 3
    assert up("itmj_http_requests_total", route="/api/v1/jobs", method="GET", status="200") == 4
    assert up("itmj_http_requests_total", route="/api/v1/jobs/{job_id}/publish",
              method="POST", status="200") == 3
    assert up("itmj_http_requests_total", route="/api/v1/jobs", method="POST",
              status="201") == 3
    assert after[("itmj_outbox_lag_seconds", frozenset())] >= 0
    assert ("itmj_db_pool_in_use", frozenset()) in after
