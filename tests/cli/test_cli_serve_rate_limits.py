"""Rate limits hold across gunicorn worker processes: ``itmj serve`` with several workers on
PostgreSQL, with Redis (the window in Redis) and without (the window in PostgreSQL), many
connections spread over the workers, one window for the key."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.cli.test_cli_serve import serving


def _status(url: str, key: str) -> tuple[int, str | None]:
    # A connection per request: the kernel hands each to whichever worker accepts first.
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        body = json.loads(error.read())
        return error.code, f"{body['code']} {error.headers['Retry-After']}"


@pytest.mark.postgres
@pytest.mark.parametrize(("store", "workers"), [("redis", 3), ("postgres", 2)])
def test_the_limit_holds_across_worker_processes(
    start_itmj, tmp_path, clean_database, request, store, workers
) -> None:
    env = {"ITMJ_REDIS_URL": request.getfixturevalue("redis_url")} if store == "redis" else {}
    with serving(start_itmj, tmp_path, "--workers", str(workers),
                 database_url=clean_database, env=env) as server:
        key = server.seeded["keys"]["jobPosting"]
        url = f"{server.base_url}/api/v1/jobs"
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(lambda _: _status(url, key), range(330)))
    statuses = [status for status, _ in answers]
    admitted = statuses.count(200)
    # Processes each counting alone would have let up to 100 each through. Either store leases
    # places to a key this busy, which may refuse it a little early, never late: at most the
    # places of one lease per process (6 under this limit, leased only while the window is half
    # empty) can go unused.
    assert 100 - 6 * workers <= admitted <= 100, server.log.read_text()
    assert statuses.count(429) == 330 - admitted
    assert all(detail.startswith("rate_limited ") for status, detail in answers
               if status == 429)
