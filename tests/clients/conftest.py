"""A live ``itmj serve --demo`` for the generated clients to talk to, once per module."""

import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import ITMJ_SCRIPT, _script_environment
from tests.cli.test_cli_serve import serving


def _start(argv: list[str], database_url: str | None = None, env: dict[str, str] | None = None,
           **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ITMJ_SCRIPT), *argv],
        env=_script_environment(database_url, env),
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        **popen,
    )


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory):
    """The demo on the in-memory backend: its keys, jobs and candidates."""
    log_dir: Path = tmp_path_factory.mktemp("serve")
    with serving(_start, log_dir) as server:
        yield server

