"""Start-up that explains itself: a bad variable, a database that cannot be reached or is not
migrated, each one line on stderr and exit 1, in every command and in a real server."""

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.cli.conftest import _script_environment
from tests.cli.test_cli_serve import _free_port

SECONDS = 20
COMMANDS = [
    ["credits", "balance", "--employer", "1"],
    ["db", "migrate"],
    ["serve", "--bind", "127.0.0.1:1"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0])
@pytest.mark.parametrize(("name", "value", "says"), [
    ("ITMJ_DATABASE_URL", "not-a-url", "postgresql://"),
    ("ITMJ_DB_POOL_SIZE", "ten", "a whole number ≥ 1"),
    ("ITMJ_REDIS_URL", "htp://127.0.0.1:6379/0", "redis://, rediss:// or unix://"),
    ("ITMJ_WEBHOOK_ALLOW_PRIVATE", "true", "0 or 1"),
])
def test_a_bad_variable_is_one_line_in_every_command(run_cli, argv, name, value, says):
    result = run_cli(argv, {name: value})
    assert result.code == 1
    assert len(result.error_lines) == 1, result.stderr
    assert result.error_lines[0].startswith(f"itmj: {name} must be ")
    assert says in result.stderr


def test_an_unknown_variable_warns_and_the_command_still_runs(run_cli):
    result = run_cli(["credits", "balance", "--employer", "1"],
                     {"ITMJ_DATABSE_URL": "postgresql://x/y"})
    assert result.error_lines == [
        "itmj: warning: ITMJ_DATABSE_URL is not a variable itmj reads; ignored "
        "(did you mean ITMJ_DATABASE_URL?)",
        "itmj: employer 1 not found",
    ]


def _unreachable_url() -> str:
    return "postgresql://itmj:s3cret@127.0.0.1:1/itmj"


def test_an_unreachable_database_is_one_line_naming_where_and_why(run_cli):
    started = time.monotonic()
    result = run_cli(["credits", "balance", "--employer", "1"],
                     {"ITMJ_DATABASE_URL": _unreachable_url()})
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert result.error_lines == [
        "itmj: cannot reach PostgreSQL at 127.0.0.1:1/itmj: connection refused"
    ]
    assert "s3cret" not in result.stderr


def test_a_missing_database_is_named_with_the_server_s_reason(run_cli, database_url):
    url = psycopg.conninfo.make_conninfo(database_url, dbname="itmj_no_such_database")
    result = run_cli(["credits", "balance", "--employer", "1"], {"ITMJ_DATABASE_URL": url})
    assert result.code == 1
    assert len(result.error_lines) == 1
    assert "/itmj_no_such_database: database \"itmj_no_such_database\" does not exist" in (
        result.stderr
    )


def _run_to_the_end(argv: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    started = time.monotonic()
    done = subprocess.run(
        argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=SECONDS * 2, check=False,
    )
    return done.returncode, done.stderr, time.monotonic() - started


ITMJ = str(Path(sys.executable).with_name("itmj"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def test_serve_with_two_workers_on_an_empty_database_exits_with_one_line(empty_database):
    code, stderr, took = _run_to_the_end(
        [ITMJ, "serve", "--workers", "2", "--bind", f"127.0.0.1:{_free_port()}"],
        _script_environment(empty_database),
    )
    assert (code, took < SECONDS) == (1, True), stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "itmj db migrate" in lines[0] and "not applied" in lines[0]


@pytest.mark.parametrize(("extra", "says"), [
    ({"ITMJ_DB_POOL_SIZE": "ten"}, "itmj: ITMJ_DB_POOL_SIZE must be a whole number ≥ 1, not 'ten'"),
    ({"ITMJ_DATABASE_URL": "postgresql://itmj:s3cret@127.0.0.1:1/itmj"},
     "itmj: cannot reach PostgreSQL at 127.0.0.1:1/itmj: connection refused"),
])
def test_serve_with_a_bad_start_exits_with_one_line(extra, says):
    code, stderr, took = _run_to_the_end(
        [ITMJ, "serve", "--workers", "2", "--bind", f"127.0.0.1:{_free_port()}"],
        _script_environment(None, extra),
    )
    assert (code, took < SECONDS) == (1, True), stderr
    assert stderr.splitlines() == [says]


def test_gunicorn_running_get_app_stops_instead_of_crash_looping(empty_database):
    """Under a gunicorn of the operator's own, each worker builds the app: the first one
    that cannot says why in one line, and the master stops rather than fork another."""
    code, stderr, took = _run_to_the_end(
        [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{_free_port()}",
         "itmj_http.app:get_app()"],
        _script_environment(empty_database),
    )
    assert code != 0 and took < SECONDS, stderr
    # No traceback of ours. When both workers fail at once, gunicorn 27's master may print
    # its own HaltServer, raised a second time while it halts (a race inside its arbiter);
    # it stops all the same, which is what this test is about.
    frames = [line for line in stderr.splitlines() if line.strip().startswith("File ")]
    assert all("gunicorn" in frame for frame in frames), stderr
    raised = [line for line in stderr.splitlines() if line.startswith(("gunicorn.", "itmj"))
              and "Error" in line.split(":")[0]]
    assert all("HaltServer" in line for line in raised), stderr
    ours = [line for line in stderr.splitlines() if line.startswith("itmj: ")]
    assert ours and all("itmj db migrate" in line for line in ours)
    # At most one line per worker first started: none was started again.
    assert len(ours) <= 2
    assert stderr.count("Booting worker") <= 2
