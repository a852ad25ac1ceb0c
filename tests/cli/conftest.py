"""Running ``itmj``: in-process through ``main`` and as the installed console script."""

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import attrs
import psycopg
import pytest
from psycopg import sql

from itmj_cli.main import main
from tests.secret_keys import TEST_SECRET_KEYS

ITMJ_SCRIPT = Path(sys.executable).with_name("itmj")


@attrs.frozen
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self):
        assert self.code == 0, self.stderr
        return json.loads(self.stdout)

    @property
    def error_lines(self) -> list[str]:
        return self.stderr.splitlines()


def _run_in_process(argv: list[str], environ: dict[str, str] | None = None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv, environ or {})
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def run_cli():
    """``main(argv, environ)`` in this process; no environment means the in-memory backend."""
    return _run_in_process


def _script_environment(
    database_url: str | None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("ITMJ_")}
    if database_url is not None:
        env["ITMJ_DATABASE_URL"] = database_url
        env["ITMJ_SECRET_KEYS"] = TEST_SECRET_KEYS
    return env | (extra or {})


def _run_script(argv: list[str], database_url: str | None = None) -> Result:
    done = subprocess.run(
        [str(ITMJ_SCRIPT), *argv],
        env=_script_environment(database_url),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def run_itmj():
    """The installed ``itmj`` console script, in a process of its own."""
    return _run_script


@pytest.fixture
def start_itmj():
    """Start the installed script without waiting for it; the caller must end the process."""

    def start(
        argv: list[str], database_url: str | None = None, env: dict[str, str] | None = None,
        **popen,
    ) -> subprocess.Popen:
        return subprocess.Popen(
            [str(ITMJ_SCRIPT), *argv],
            env=_script_environment(database_url, env),
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
            **popen,
        )

    return start


@pytest.fixture
def postgres_env(clean_database: str) -> dict[str, str]:
    return {"ITMJ_DATABASE_URL": clean_database, "ITMJ_SECRET_KEYS": TEST_SECRET_KEYS}


@pytest.fixture
def empty_database(database_url: str):
    """A database of its own with no schema at all, dropped afterwards."""
    name = psycopg.conninfo.conninfo_to_dict(database_url)["dbname"] + "_cli_empty"
    admin_url = psycopg.conninfo.make_conninfo(database_url, dbname="postgres")
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield psycopg.conninfo.make_conninfo(database_url, dbname=name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)
