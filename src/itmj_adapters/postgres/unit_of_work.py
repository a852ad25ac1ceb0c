"""The Postgres unit of work: one pooled connection, one transaction.

A read-only unit of work runs in autocommit mode: no BEGIN and COMMIT round trips around
the single lookups of the hot path (authenticate a key, read a job). Each statement then
sees its own snapshot, which is all a read of one object or one page needs.

Within a request scope the units of work a thread runs one after another share one pooled
connection, checked out by the first of them: an API call authenticates its key and then
reads or writes, and paid the pool twice for it. Each unit of work still has its own
transaction, so sharing the connection changes nothing they see.

When the scope ends the thread keeps that connection for its next scope, as Django's
persistent connections do (CONN_MAX_AGE): a checkout and return cost 29k instructions, more
than a tenth of an authenticated read's own work. Only an idle, sound connection is kept, and
only for a while (``KEPT_SCOPES``, ``KEPT_SECONDS``), after which it goes back to the pool,
which retires it when it is too old. At most half of the pool is kept so, by as many threads,
so that a server with more threads than connections still serves every thread from the rest.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from psycopg import Connection, Cursor
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from itmj_adapters.lazy_repository import LazyRepository
from itmj_adapters.postgres.accounts import PostgresApiKeys, PostgresEmployers, PostgresUsers
from itmj_adapters.postgres.applications import PostgresApplications
from itmj_adapters.postgres.candidates import PostgresCandidates, PostgresUnlocks
from itmj_adapters.postgres.credentials import PostgresCredentials, PostgresPasswordResets
from itmj_adapters.postgres.credits import PostgresContracts, PostgresLedger
from itmj_adapters.postgres.idempotency import PostgresIdempotency
from itmj_adapters.postgres.invitations import PostgresInvitations
from itmj_adapters.postgres.jobs import PostgresJobs
from itmj_adapters.postgres.orders import PostgresOrders
from itmj_adapters.postgres.session import Session
from itmj_adapters.postgres.staff import PostgresStaff
from itmj_adapters.postgres.webhooks import (
    PostgresDeliveries,
    PostgresOutbox,
    PostgresSubscriptions,
)
from itmj_adapters.secret_box import KeyRing

# How long a thread keeps one connection between its request scopes before it goes back to
# the pool: at most this many scopes, and this many seconds.
KEPT_SCOPES = 256
KEPT_SECONDS = 30.0


class PostgresUnitOfWork:
    employers = LazyRepository(PostgresEmployers, "_session")
    users = LazyRepository(PostgresUsers, "_session")
    api_keys = LazyRepository(PostgresApiKeys, "_session")
    jobs = LazyRepository(PostgresJobs, "_session")
    ledger = LazyRepository(PostgresLedger, "_session")
    contracts = LazyRepository(PostgresContracts, "_session")
    orders = LazyRepository(PostgresOrders, "_session")
    invitations = LazyRepository(PostgresInvitations, "_session")
    candidates = LazyRepository(PostgresCandidates, "_session")
    unlocks = LazyRepository(PostgresUnlocks, "_session")
    applications = LazyRepository(PostgresApplications, "_session")
    subscriptions = LazyRepository(PostgresSubscriptions, "_session", "_secrets")
    deliveries = LazyRepository(PostgresDeliveries, "_session")
    outbox = LazyRepository(PostgresOutbox, "_session")
    idempotency = LazyRepository(PostgresIdempotency, "_session")
    staff = LazyRepository(PostgresStaff, "_session")
    credentials = LazyRepository(PostgresCredentials, "_session")
    password_resets = LazyRepository(PostgresPasswordResets, "_session")

    def __init__(self, factory: "PostgresUnitOfWorkFactory", read_only: bool = False) -> None:
        self._factory = factory
        self._read_only = read_only
        self._secrets = factory.secrets

    def __enter__(self) -> Self:
        loan: _Loan | None = getattr(self._factory.scopes, "loan", None)
        lent = loan.borrow() if loan is not None else None
        if lent is None:
            self._loan = None
            connection = self._factory.pool.getconn()
            cursor = None
        else:
            self._loan = loan
            connection, cursor = lent
        if connection.autocommit != self._read_only:
            connection.autocommit = self._read_only
        self._session = Session(connection, self._read_only, cursor)
        return self

    def commit(self) -> None:
        if not self._read_only:
            self._session.connection.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self._session.connection
        try:
            if not self._read_only:
                connection.rollback()
        finally:
            if self._loan is not None:
                self._loan.give_back()
            else:
                self._factory.pool.putconn(connection)


class _Loan:
    """The connection a request scope lends the units of work of its thread, one at a time.

    A unit of work that starts while another holds the connection (one nested in another)
    checks out its own from the pool, as it would outside any scope.
    """

    def __init__(self, factory: "PostgresUnitOfWorkFactory") -> None:
        self._factory = factory
        self._connection: Connection | None = None
        self._cursor: Cursor | None = None
        self._busy = False
        self._outer: _Loan | None = None

    def borrow(self) -> tuple[Connection, Cursor] | None:
        if self._busy:
            return None
        if self._connection is None:
            kept: _Kept | None = getattr(self._factory.scopes, "kept", None)
            connection = None if kept is None else kept.take()
            if connection is None:
                connection = self._factory.pool.getconn()
            self._connection = connection
            self._cursor = Session.cursor_for(connection)
        self._busy = True
        assert self._cursor is not None
        return self._connection, self._cursor

    def give_back(self) -> None:
        """Keep the connection for the next unit of work only when it is idle and sound;
        the pool deals with any other (rolls it back, or replaces a broken one)."""
        self._busy = False
        assert self._connection is not None
        if self._connection.pgconn.transaction_status != TransactionStatus.IDLE:
            self._return()

    def _return(self) -> None:
        connection, self._connection, self._cursor = self._connection, None, None
        if connection is not None:
            self._factory.pool.putconn(connection)

    def __enter__(self) -> None:
        scopes = self._factory.scopes
        self._outer = getattr(scopes, "loan", None)
        scopes.loan = self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        scopes = self._factory.scopes
        scopes.loan = self._outer
        connection = self._connection
        if connection is None:
            return
        kept: _Kept | None = getattr(scopes, "kept", None)
        if kept is None:
            kept = scopes.kept = self._factory.keeping()
        # Given back already when it was not idle (give_back): what is left here is sound.
        if kept is not None and kept.keep(connection):
            self._connection = self._cursor = None
        else:
            self._return()


class _Kept:
    """The connection one thread keeps between its request scopes, and one of the pool's
    places for keeping one (``PostgresUnitOfWorkFactory.keeping``), held as long as the
    thread lives."""

    __slots__ = ("_connection", "_factory", "_scopes_left", "_until")

    def __init__(self, factory: "PostgresUnitOfWorkFactory") -> None:
        self._factory = factory
        self._connection: Connection | None = None
        self._start_turn()

    def _start_turn(self) -> None:
        self._scopes_left = KEPT_SCOPES
        self._until = time.monotonic() + KEPT_SECONDS

    def take(self) -> Connection | None:
        connection, self._connection = self._connection, None
        return connection

    def keep(self, connection: Connection) -> bool:
        """Keeps ``connection`` for the thread's next scope, unless it has served its turn:
        then the caller gives it back, and the next one checked out starts a new turn."""
        if self._scopes_left == 0 or time.monotonic() >= self._until:
            self._start_turn()
            return False
        self._scopes_left -= 1
        self._connection = connection
        return True

    def __del__(self) -> None:
        # The thread ended: its connection and its place go back for others.
        connection, self._connection = self._connection, None
        if connection is not None:
            self._factory.pool.putconn(connection)
        self._factory.places.release()


class PostgresUnitOfWorkFactory:
    def __init__(self, pool: ConnectionPool, secrets: KeyRing | None = None) -> None:
        """Without ``secrets`` every webhook secret read or written is refused."""
        self.pool = pool
        self.secrets = secrets
        # Each thread's current request scope, if any, as ``loan``, and the connection it
        # keeps between scopes as ``kept``.
        self.scopes = threading.local()
        self.places = threading.BoundedSemaphore(pool.max_size // 2)

    def __call__(self, *, read_only: bool = False) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(self, read_only)

    @contextmanager
    def standalone(self) -> Iterator[Connection]:
        """A connection in autocommit mode for a statement that stands alone (a rate-limit
        check): the one the request scope lends, if any, so a call still checks out one."""
        with PostgresUnitOfWork(self, read_only=True) as uow:
            yield uow._session.connection

    def request_scope(self) -> _Loan:
        """A context manager: the units of work this thread runs inside it share one pooled
        connection, checked out when the first starts (or kept from the thread's last
        scope) and kept for its next scope or returned at the end."""
        return _Loan(self)

    def keeping(self) -> "_Kept | None":
        """A place for a thread to keep a connection between its scopes, while the pool
        has one to spare; None when half of it is kept already."""
        if not self.places.acquire(blocking=False):
            return None
        return _Kept(self)
