"""``itmj serve`` gives each worker a listening socket of its own (SO_REUSEPORT), so that the
kernel spreads connections over the workers, and still refuses an address another server
holds: sockets that all set SO_REUSEPORT would otherwise share it without a word."""

import time
from pathlib import Path

import pytest

from tests.cli.test_cli_serve import serving

_LISTEN = "0A"


def _listening_sockets(port: int) -> int:
    """The sockets in LISTEN state on ``port``, read from the kernel's own table."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, _remote, state = line.split()[1:4]
        if int(local.rpartition(":")[2], 16) == port and state == _LISTEN:
            count += 1
    return count


def _port(base_url: str) -> int:
    return int(base_url.rpartition(":")[2])


@pytest.mark.postgres
def test_every_worker_listens_on_a_socket_of_its_own(start_itmj, tmp_path, clean_database):
    with serving(start_itmj, tmp_path, "--workers", "3", database_url=clean_database) as server:
        port = _port(server.base_url)
        deadline = time.monotonic() + 30
        while _listening_sockets(port) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _listening_sockets(port) == 3, server.log.read_text()


def test_a_second_server_at_the_same_address_is_refused(start_itmj, run_itmj, tmp_path):
    with serving(start_itmj, tmp_path) as server:
        bind = server.base_url.removeprefix("http://")
        result = run_itmj(["serve", "--bind", bind])
        assert result.code == 1
        assert result.error_lines == [f"itmj: cannot listen at {bind}: Address already in use"]
        assert _listening_sockets(_port(server.base_url)) == 1
