"""The candidate change log (migration 0010) as each process's search index reads it.

A trigger on ``candidates`` writes a row per change in the changing transaction. Positions are
taken before commit, so a lower one may commit after a higher one has been read: a reader that
followed positions would skip it. A reader follows transaction ids instead. Each read returns
the changes of every transaction whose id is at or above a *horizon*, together with the horizon
of its own snapshot (``pg_snapshot_xmin``): the oldest transaction still running then. Every
transaction below it had finished, so its changes were visible to that read; any at or above it
is read again next time. Changes already handled are told apart by position (the caller's
business), so a long-running writer costs re-reads, never a lost change.

Rows are pruned once older than ``RETENTION``; a process that has not read the log for that long
rebuilds its index instead of replaying it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import attrs
import psycopg
from psycopg_pool import ConnectionPool

from itmj_adapters.change_log import Change, ChangePage, Cursor
from itmj_adapters.postgres.connection import connect

CHANNEL = "itmj_candidate_changes"
RETENTION = timedelta(days=1)

_HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
# One statement, so the rows and the horizon come from one snapshot. Ordered by (xid, position)
# so that a page can end anywhere and the next start after it.
_READ = """
SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, c.xid, c.position, c.candidate_id
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT xid::text::bigint AS xid, position, candidate_id FROM candidate_changes
    WHERE xid >= %(horizon)s::text::xid8
      AND (xid, position) > (%(after_xid)s::text::xid8, %(after_position)s)
    ORDER BY xid, position
    LIMIT %(limit)s
) AS c ON true
ORDER BY c.xid, c.position
"""
_REBUILD = "INSERT INTO candidate_changes (candidate_id) VALUES (NULL)"
_NOTIFY = f"SELECT pg_notify('{CHANNEL}', '')"
_PRUNE = "DELETE FROM candidate_changes WHERE changed_at < now() - %s"


class PostgresCandidateChanges:
    def __init__(self, pool: ConnectionPool, url: str) -> None:
        self._pool = pool
        # The listener has a connection of its own: it waits on the socket for as long as the
        # process runs, which a pooled one must not.
        self._url = url

    def horizon(self) -> int:
        """Where a reader that is about to read every candidate starts following."""
        with self._connection() as conn:
            row = conn.execute(_HORIZON).fetchone()
        assert row is not None
        return int(row[0])

    def read(self, horizon: int, after: Cursor | None, limit: int) -> ChangePage:
        """Up to ``limit`` changes of transactions at or above ``horizon``, past ``after``."""
        after_xid, after_position = after if after is not None else (0, 0)
        with self._connection() as conn:
            rows = conn.execute(_READ, {
                "horizon": str(horizon), "after_xid": str(after_xid),
                "after_position": after_position, "limit": limit,
            }).fetchall()
        changes = [Change(position, candidate_id, xid)
                   for _, xid, position, candidate_id in rows if position is not None]
        return ChangePage(int(rows[0][0]), changes)

    def request_rebuild(self) -> None:
        """Ask every process that follows the log to read every candidate again."""
        with self._connection() as conn, conn.transaction():
            conn.execute(_REBUILD)
            conn.execute(_NOTIFY)

    def prune(self) -> int:
        with self._connection() as conn:
            return conn.execute(_PRUNE, (RETENTION,)).rowcount

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in autocommit mode: a read is one statement and one round
        trip, without BEGIN and COMMIT around it."""
        with self._pool.connection() as conn:
            conn.autocommit = True
            yield conn

    @contextmanager
    def listening(self) -> Iterator["PostgresListener"]:
        with connect(self._url) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            yield PostgresListener(conn)


@attrs.define
class PostgresListener:
    _conn: psycopg.Connection

    def wait(self, timeout: float) -> bool:
        """Whether a change was announced within ``timeout`` seconds; announcements that
        arrived together are taken as one."""
        woken = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            woken = True
        if woken:
            for _ in self._conn.notifies(timeout=0):
                pass
        return woken
