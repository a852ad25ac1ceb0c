"""Statements that nearly every API request runs, sent to libpq without a cursor.

Every authenticated request looks its key up (with the job a GET names, in the same
statement). Through a cursor that short lookup cost 114k instructions, 49k of them psycopg's
own Python around libpq: converting the query, finding it among the prepared ones, a
generator for each step and a wait loop. A ``HotStatement`` is prepared once on each pooled
connection under a name of its own, run with libpq's PQexecPrepared (which releases the GIL
while it waits for the server) and its row loaded by psycopg's loaders for the connection, so
the values are exactly those a cursor asking for binary results returns.

Only a connection in autocommit mode (a read-only unit of work) takes this path: in a
transaction psycopg opens it itself (BEGIN) before the first statement it sees, so a
statement it did not see would run outside it. Any other connection runs the same query
through the session's cursor.
"""

import re
from collections.abc import Sequence
from typing import Any

from psycopg import errors, pq

from itmj_adapters.postgres.connection import PooledConnection

_PLACEHOLDER = re.compile(r"%s")
_ANSWERED = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK)


class HotStatement:
    """A query whose parameters are all ints or strs, run on a pooled connection."""

    def __init__(self, name: str, query: str) -> None:
        self.query = query
        self._name = f"itmj_{name}".encode()
        numbers = iter(range(1, query.count("%s") + 1))
        self._numbered = _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", query).encode()

    def one(
        self, connection: PooledConnection, params: Sequence[int | str]
    ) -> tuple[Any, ...] | None:
        if connection.closed:
            raise errors.OperationalError("the connection is closed")
        # Text, as psycopg would send an int or a str: the server reads each as the type
        # the prepared statement gives its placeholder.
        values = [str(value).encode() for value in params]
        try:
            result = self._run(connection, values)
        except errors.InvalidSqlStatementName:
            # Deallocated behind our back (DISCARD ALL, DEALLOCATE ALL): prepared again.
            connection.hot_statements.discard(self._name)
            result = self._run(connection, values)
        if not result.ntuples:
            return None
        loader = connection.row_loader
        loader.set_pgresult(result)
        row: tuple[Any, ...] = loader.load_row(0, tuple)
        return row

    def _run(self, connection: PooledConnection, values: list[bytes]) -> pq.abc.PGresult:
        pgconn = connection.pgconn
        with connection.lock:
            if self._name not in connection.hot_statements:
                _check(connection, pgconn.prepare(self._name, self._numbered))
                connection.hot_statements.add(self._name)
            result = pgconn.exec_prepared(self._name, values, result_format=pq.Format.BINARY)
        _check(connection, result)
        return result


def _check(connection: PooledConnection, result: pq.abc.PGresult) -> None:
    """Raises what psycopg raises for a result that failed: the server's error by its
    SQLSTATE, or OperationalError for a connection that broke (as a cursor would)."""
    if result.status in _ANSWERED:
        return
    if connection.pgconn.status == pq.ConnStatus.BAD:
        message = connection.pgconn.get_error_message(connection.info.encoding)
        raise errors.OperationalError(message or "the connection was lost")
    raise errors.error_from_result(result, encoding=connection.info.encoding)
