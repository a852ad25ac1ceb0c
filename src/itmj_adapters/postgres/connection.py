"""The connection pool every Postgres adapter shares, and the database health probe."""

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import abc, adapt
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from itmj_adapters.database_schema import DatabaseUnreachable

CONNECT_TIMEOUT_SECONDS = 5
# How long the one connection made at start waits: a database that does not answer in that
# time is reported as unreachable at once, rather than as a pool timeout much later.
START_TIMEOUT_SECONDS = 3
OPEN_TIMEOUT_SECONDS = 10
CHECKOUT_TIMEOUT_SECONDS = 10
PROBE_TIMEOUT_SECONDS = 2
# Keeps a couple of connections warm per process without holding max_size of them idle
# for every worker of every server.
MIN_POOL_SIZE = 2


def conninfo(url: str, connect_timeout: int = CONNECT_TIMEOUT_SECONDS) -> str:
    """The URL with the session time zone pinned to UTC, so every timestamptz read back is a
    UTC datetime, whatever the server's default."""
    options = psycopg.conninfo.conninfo_to_dict(url).get("options") or ""
    return psycopg.conninfo.make_conninfo(
        url,
        options=f"{options} -c TimeZone=UTC".strip(),
        connect_timeout=connect_timeout,
        application_name="itmj",
    )


@contextmanager
def first_connection(url: str) -> Iterator[psycopg.Connection]:
    """One connection made before any pool, so that a database that cannot be reached says
    where and why (``DatabaseUnreachable``) instead of timing the pool out."""
    try:
        conn = psycopg.connect(conninfo(url, START_TIMEOUT_SECONDS), autocommit=True)
    except psycopg.OperationalError as error:
        raise _unreachable(url, error) from None
    with conn:
        yield conn


def _unreachable(url: str, error: psycopg.OperationalError) -> DatabaseUnreachable:
    params = psycopg.conninfo.conninfo_to_dict(url)
    host = str(params.get("host") or params.get("hostaddr") or "localhost")
    port = str(params.get("port") or "5432")
    database = str(params.get("dbname") or params.get("user") or "")
    return DatabaseUnreachable(host, port, database, driver_reason(str(error)))


def driver_reason(message: str) -> str:
    """The reason in libpq's message, without the preamble that repeats the address:
    ``connection to server at "127.0.0.1", port 1 failed: Connection refused`` and its hint
    line become ``connection refused``."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    first = lines[0] if lines else message
    reason = re.sub(r"^.*\bfailed: ", "", first, count=1) if "port" in first else first
    reason = re.sub(r"^(FATAL|ERROR):\s*", "", reason).strip()
    return (reason[:1].lower() + reason[1:]) if reason[:2] != reason[:2].upper() else reason


def connect(url: str) -> psycopg.Connection:
    """A connection outside the pool, in autocommit mode: a listener's, which waits on its
    socket for as long as the process runs."""
    return psycopg.connect(conninfo(url), autocommit=True)


class PooledConnection(psycopg.Connection[TupleRow]):
    """A pooled connection keeps one cursor for the units of work it serves one after
    another: making one per unit of work cost as much as parsing a lookup's answer."""

    @functools.cached_property
    def statements(self) -> psycopg.Cursor[TupleRow]:
        # Results in binary: parsing timestamps and arrays from text costs more.
        return self.cursor(binary=True)

    @functools.cached_property
    def hot_statements(self) -> set[bytes]:
        """The names of the ``HotStatement``s prepared on this connection."""
        return set()

    @functools.cached_property
    def row_loader(self) -> abc.Transformer:
        """Loads the rows of the ``HotStatement``s, with the loaders the cursor uses."""
        return adapt.Transformer(self)


def open_pool(url: str, max_size: int = 10) -> "ConnectionPool[Any]":
    """An open pool whose first connections are ready; raises if the database is not."""
    pool = ConnectionPool(
        conninfo(url),
        connection_class=PooledConnection,
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
