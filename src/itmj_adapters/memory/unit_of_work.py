"""The in-memory unit of work: the repositories over one locked transaction."""

from types import TracebackType
from typing import Self

from itmj_adapters.memory.accounts import MemoryApiKeys, MemoryEmployers, MemoryUsers
from itmj_adapters.memory.applications import MemoryApplications
from itmj_adapters.memory.candidates import MemoryCandidates, MemoryUnlocks
from itmj_adapters.memory.credits import MemoryContracts, MemoryLedger
from itmj_adapters.memory.jobs import MemoryJobs
from itmj_adapters.memory.store import MemoryStore, Transaction
from itmj_adapters.memory.webhooks import MemoryDeliveries, MemoryOutbox, MemorySubscriptions


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore, read_only: bool = False) -> None:
        self._tx = Transaction(store, read_only)
        self.employers = MemoryEmployers(self._tx)
        self.users = MemoryUsers(self._tx)
        self.api_keys = MemoryApiKeys(self._tx)
        self.jobs = MemoryJobs(self._tx)
        self.ledger = MemoryLedger(self._tx)
        self.contracts = MemoryContracts(self._tx)
        self.candidates = MemoryCandidates(self._tx)
        self.unlocks = MemoryUnlocks(self._tx)
        self.applications = MemoryApplications(self._tx)
        self.subscriptions = MemorySubscriptions(self._tx)
        self.deliveries = MemoryDeliveries(self._tx)
        self.outbox = MemoryOutbox(self._tx)

    def commit(self) -> None:
        self._tx.forget_undo()

    def __enter__(self) -> Self:
        self._tx.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._tx.__exit__(exc_type, exc, tb)


class MemoryUnitOfWorkFactory:
    def __init__(self, store: MemoryStore | None = None) -> None:
        self.store = store or MemoryStore()

    def __call__(self, *, read_only: bool = False) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store, read_only)
