"""The Postgres unit of work: one pooled connection, one transaction.

A read-only unit of work runs in autocommit mode: no BEGIN and COMMIT round trips around
the single lookups of the hot path (authenticate a key, read a job). Each statement then
sees its own snapshot, which is all a read of one object or one page needs.
"""

from types import TracebackType
from typing import Self

from psycopg_pool import ConnectionPool

from itmj_adapters.postgres.accounts import PostgresApiKeys, PostgresEmployers, PostgresUsers
from itmj_adapters.postgres.applications import PostgresApplications
from itmj_adapters.postgres.candidates import PostgresCandidates, PostgresUnlocks
from itmj_adapters.postgres.credits import PostgresContracts, PostgresLedger
from itmj_adapters.postgres.jobs import PostgresJobs
from itmj_adapters.postgres.session import Session
from itmj_adapters.postgres.webhooks import (
    PostgresDeliveries,
    PostgresOutbox,
    PostgresSubscriptions,
)


class PostgresUnitOfWork:
    employers: PostgresEmployers
    users: PostgresUsers
    api_keys: PostgresApiKeys
    jobs: PostgresJobs
    ledger: PostgresLedger
    contracts: PostgresContracts
    candidates: PostgresCandidates
    unlocks: PostgresUnlocks
    applications: PostgresApplications
    subscriptions: PostgresSubscriptions
    deliveries: PostgresDeliveries
    outbox: PostgresOutbox

    def __init__(self, pool: ConnectionPool, read_only: bool = False) -> None:
        self._pool = pool
        self._read_only = read_only

    def __enter__(self) -> Self:
        connection = self._pool.getconn()
        if connection.autocommit != self._read_only:
            connection.autocommit = self._read_only
        session = Session(connection, self._read_only)
        self._session = session
        self.employers = PostgresEmployers(session)
        self.users = PostgresUsers(session)
        self.api_keys = PostgresApiKeys(session)
        self.jobs = PostgresJobs(session)
        self.ledger = PostgresLedger(session)
        self.contracts = PostgresContracts(session)
        self.candidates = PostgresCandidates(session)
        self.unlocks = PostgresUnlocks(session)
        self.applications = PostgresApplications(session)
        self.subscriptions = PostgresSubscriptions(session)
        self.deliveries = PostgresDeliveries(session)
        self.outbox = PostgresOutbox(session)
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
            self._pool.putconn(connection)


class PostgresUnitOfWorkFactory:
    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def __call__(self, *, read_only: bool = False) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(self.pool, read_only)
