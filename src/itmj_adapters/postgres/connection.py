"""The connection pool every Postgres adapter shares, and the database health probe."""

import psycopg
from psycopg_pool import ConnectionPool

CONNECT_TIMEOUT_SECONDS = 5
OPEN_TIMEOUT_SECONDS = 10
CHECKOUT_TIMEOUT_SECONDS = 10
PROBE_TIMEOUT_SECONDS = 2
# Keeps a couple of connections warm per process without holding max_size of them idle
# for every worker of every server.
MIN_POOL_SIZE = 2


def _conninfo(url: str) -> str:
    """The URL with the session time zone pinned to UTC, so every timestamptz read back is a
    UTC datetime, whatever the server's default."""
    options = psycopg.conninfo.conninfo_to_dict(url).get("options") or ""
    return psycopg.conninfo.make_conninfo(
        url,
        options=f"{options} -c TimeZone=UTC".strip(),
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        application_name="itmj",
    )


def open_pool(url: str, max_size: int = 10) -> ConnectionPool:
    """An open pool whose first connections are ready; raises if the database is not."""
    pool = ConnectionPool(
        _conninfo(url),
        min_size=min(MIN_POOL_SIZE, max_size),
        max_size=max_size,
        timeout=CHECKOUT_TIMEOUT_SECONDS,
        name="itmj",
        open=False,
    )
    pool.open(wait=True, timeout=OPEN_TIMEOUT_SECONDS)
    return pool


class PostgresProbe:
    """The database is healthy when a pooled connection can be had promptly and answers.

    A pool exhausted for the whole probe timeout counts as unhealthy too: requests would be
    waiting just as long."""

    name = "database"

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def check(self) -> None:
        with self._pool.connection(timeout=PROBE_TIMEOUT_SECONDS) as conn:
            conn.execute("SELECT 1")
