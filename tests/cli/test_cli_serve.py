"""``itmj serve --demo`` as a real process: the first stdout line carries keys that work
against the server it then starts."""

import http.cookiejar
import json
import os
import re
import select
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import attrs
import pytest

STARTUP_SECONDS = 60


@attrs.frozen
class Server:
    base_url: str
    seeded: dict
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _first_line(process: subprocess.Popen, deadline: float) -> str:
    ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
    assert ready, "no line on stdout before the deadline"
    return process.stdout.readline()


def _wait_until_listening(process: subprocess.Popen, port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.1)
        else:
            return
    raise AssertionError("the server never listened")


@contextmanager
def serving(
    start_itmj, tmp_path: Path, *options: str, database_url: str | None = None,
    env: dict[str, str] | None = None,
):
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as stderr:
        process = start_itmj(
            ["serve", "--demo", "--bind", f"127.0.0.1:{port}", *options],
            database_url,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        line = _first_line(process, deadline)
        assert line, log.read_text()
        seeded = json.loads(line)
        _wait_until_listening(process, port, deadline)
        yield Server(f"http://127.0.0.1:{port}", seeded, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        process.stdout.close()


def _get(url: str, **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _assert_the_demo_answers(server: Server) -> None:
    keys = server.seeded["keys"]
    assert set(server.seeded) == {"employerId", "keys", "portal"}
    assert set(keys) == {"jobPosting", "cvSearch", "both"}

    status, body = _get(f"{server.base_url}/api/v1/jobs",
                        Authorization=f"Bearer {keys['jobPosting']}")
    assert status == 200, server.log.read_text()
    listing = json.loads(body)
    assert set(listing) == {"total", "page", "pageSize", "items"}
    assert (listing["total"], listing["page"], listing["pageSize"]) == (3, 1, 50)
    assert sorted(item["status"] for item in listing["items"]) == ["Active", "Active", "Draft"]
    assert all("description" not in item for item in listing["items"])

    status, _ = _get(f"{server.base_url}/api/v1/jobs", **{"X-Api-Key": keys["both"]})
    assert status == 200
    status, body = _get(f"{server.base_url}/api/v1/jobs",
                        Authorization=f"Bearer {keys['cvSearch']}")
    assert (status, json.loads(body)["code"]) == (403, "forbidden")
    assert _get(f"{server.base_url}/api/v1/jobs") == (401, b"")

    # Past gunicorn's default request-line limit, the app still answers, in its envelope.
    status, body = _get(f"{server.base_url}/api/v1/jobs?status={'x' * 10_000}",
                        Authorization=f"Bearer {keys['jobPosting']}")
    assert (status, json.loads(body)["code"]) == (400, "invalid_request")


def _assert_the_demo_admin_signs_in(server: Server) -> None:
    portal = server.seeded["portal"]
    assert portal["url"] == f"{server.base_url}/account/signin"
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(portal["url"], timeout=10) as page:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({
        "csrf_token": token, **portal["employerAdmin"],
    }).encode()
    with browser.open(portal["url"], data=form, timeout=10) as overview:
        assert overview.url == f"{server.base_url}/employer/"
        assert "Northwind Systems (demo)" in overview.read().decode()


def test_serve_demo_in_memory(start_itmj, tmp_path):
    with serving(start_itmj, tmp_path) as server:
        _assert_the_demo_answers(server)
        _assert_the_demo_admin_signs_in(server)
        # Without ITMJ_SECRET_KEYS webhook secrets are sealed under a key of the process's own.
        assert "ITMJ_SECRET_KEYS is not set" in server.log.read_text()


@pytest.mark.postgres
def test_serve_demo_on_postgres_with_two_workers(start_itmj, tmp_path, clean_database):
    with serving(start_itmj, tmp_path, "--workers", "2", database_url=clean_database) as server:
        _assert_the_demo_answers(server)
        _assert_the_demo_admin_signs_in(server)
        assert "ITMJ_SECRET_KEYS" not in server.log.read_text()
        for _ in range(10):
            status, _ = _get(f"{server.base_url}/api/v1/jobs",
                             Authorization=f"Bearer {server.seeded['keys']['both']}")
            assert status == 200
