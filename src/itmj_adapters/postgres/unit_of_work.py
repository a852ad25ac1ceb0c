"""The Postgres unit of work: one pooled connection, one transaction.

A read-only unit of work runs in autocommit mode: no BEGIN and COMMIT round trips around
the single lookups of the hot path (authenticate a key, read a job). Each statement then
sees its own snapshot, which is all a read of one object or one page needs.

Within a request scope the units of work a thread runs one after another share one pooled
connection, checked out by the first of them and returned when the scope ends: an API call
authenticates its key and then reads or writes, and paid the pool twice for it. Each unit of
work still has its own transaction, so sharing the connection changes nothing they see.
"""

import threading
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
            self._connection = self._factory.pool.getconn()
            self._cursor = Session.cursor_for(self._connection)
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
        self._factory.scopes.loan = self._outer
        self._return()


class PostgresUnitOfWorkFactory:
    def __init__(self, pool: ConnectionPool, secrets: KeyRing | None = None) -> None:
        """Without ``secrets`` every webhook secret read or written is refused."""
        self.pool = pool
        self.secrets = secrets
        # Each thread's current request scope, if any, as ``loan``.
        self.scopes = threading.local()

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
        connection, checked out when the first starts and returned at the end."""
        return _Loan(self)
