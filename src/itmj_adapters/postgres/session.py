"""The one connection a unit of work holds, as its repositories see it."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg import Connection, Cursor, errors

from itmj_adapters.postgres.connection import PooledConnection
from itmj_adapters.postgres.hot_statement import HotStatement
from itmj_domain.errors import InvalidInput

# Positional (``%s``) or named (``%(name)s``) parameters, as psycopg takes them.
Params = tuple[Any, ...] | Mapping[str, Any]


class Session:
    """Runs a unit of work's statements on its connection.

    A read-only session refuses writes, as the in-memory adapter does: its connection runs
    in autocommit mode, where a write would commit at once instead of with the unit of work.

    The statements share one cursor, which asks for results in binary: a cursor per statement
    and parsing timestamps and arrays from text cost more than a short lookup's own work. A
    pooled connection's cursor is kept with it for the next unit of work.
    """

    __slots__ = ("_cursor", "connection", "read_only")

    def __init__(
        self, connection: Connection, read_only: bool, cursor: Cursor | None = None
    ) -> None:
        self.connection = connection
        self.read_only = read_only
        self._cursor = cursor if cursor is not None else self.cursor_for(connection)

    @staticmethod
    def cursor_for(connection: Connection) -> Cursor:
        if isinstance(connection, PooledConnection):
            return connection.statements
        return connection.cursor(binary=True)

    def one(self, query: str, params: Params = ()) -> tuple[Any, ...] | None:
        return self._cursor.execute(query, params).fetchone()

    def one_hot(
        self, statement: HotStatement, params: Sequence[int | str]
    ) -> tuple[Any, ...] | None:
        """``one`` for a statement of the hot path: straight to libpq on a pooled connection
        in autocommit mode, through the cursor otherwise (``hot_statement``)."""
        connection = self.connection
        if isinstance(connection, PooledConnection) and connection.autocommit:
            return statement.one(connection, params)
        return self.one(statement.query, tuple(params))

    def all(self, query: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return self._cursor.execute(query, params).fetchall()

    def write(self, query: str, params: Params = ()) -> int:
        """Run a write; returns how many rows it changed."""
        if self.read_only:
            raise RuntimeError("write in a read-only unit of work")
        return self._cursor.execute(query, params).rowcount

    def write_all(self, query: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Run a write; returns the rows it returns."""
        if self.read_only:
            raise RuntimeError("write in a read-only unit of work")
        return self._cursor.execute(query, params).fetchall()

    def write_many(self, query: str, params: Sequence[tuple[Any, ...]]) -> None:
        """Run one write for each parameter tuple, in a single round trip."""
        if self.read_only:
            raise RuntimeError("write in a read-only unit of work")
        if params:
            with self.connection.cursor() as cursor:
                cursor.executemany(query, params)

    def copy_rows(self, statement: str, params: Sequence[tuple[Any, ...]]) -> None:
        """Stream rows into a table through ``COPY ... FROM STDIN``: the fastest way in, for
        rows that cannot conflict with stored ones."""
        if self.read_only:
            raise RuntimeError("write in a read-only unit of work")
        if params:
            with self._cursor.copy(statement) as copy:
                for row in params:
                    copy.write_row(row)

    def page(
        self, listing: str, counting: str, where: tuple[Any, ...], limit: int, offset: int
    ) -> tuple[list[tuple[Any, ...]], int]:
        """One page of rows and the total. ``listing`` selects the total (a window count) as
        its first column, so a page that has rows needs no second query; only an empty page
        past the first runs ``counting``."""
        found = self.all(listing, (*where, limit, offset))
        if found:
            return [row[1:] for row in found], found[0][0]
        if offset == 0:
            return [], 0
        counted = self.one(counting, where)
        return [], counted[0] if counted else 0

    def next_id(self, sequence: str) -> int:
        row = self.one("SELECT nextval(%s)", (sequence,))
        assert row is not None
        return row[0]


@contextmanager
def unique_email(message: str) -> Iterator[None]:
    """A write that two people may race to with one email: the loser gets the same
    ``InvalidInput`` a lookup beforehand would have given (the unique index decides)."""
    try:
        yield
    except errors.UniqueViolation as error:
        raise InvalidInput(message, field="email") from error
