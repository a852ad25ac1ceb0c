"""A gunicorn worker that exits writes the key uses it still held: with a flush interval far
longer than the test, the only write left is the one on shutdown."""

import urllib.request

import pytest

from tests.cli.test_cli_serve import serving


@pytest.mark.postgres
def test_a_stopping_worker_writes_the_last_uses(start_itmj, run_itmj, tmp_path, clean_database):
    with serving(start_itmj, tmp_path, "--workers", "1", database_url=clean_database,
                 env={"ITMJ_LAST_USED_FLUSH_SECONDS": "3600"}) as server:
        key = server.seeded["keys"]["jobPosting"]
        request = urllib.request.Request(
            f"{server.base_url}/api/v1/jobs", headers={"Authorization": f"Bearer {key}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        employer = str(server.seeded["employerId"])
        before = run_itmj(["key", "list", "--employer", employer], clean_database).json()
    after = run_itmj(["key", "list", "--employer", employer], clean_database).json()
    used = {k["prefix"]: k["lastUsedAt"] for k in after}
    assert [k["lastUsedAt"] for k in before] == [None, None, None]
    assert sorted(v is not None for v in used.values()) == [False, False, True]
