"""The in-memory unit of work: the repositories over one locked transaction."""

from types import TracebackType
from typing import Any, Self

from itmj_adapters.memory.accounts import MemoryApiKeys, MemoryEmployers, MemoryUsers
from itmj_adapters.memory.applications import MemoryApplications
from itmj_adapters.memory.candidates import MemoryCandidates, MemoryUnlocks
from itmj_adapters.memory.credits import MemoryContracts, MemoryLedger
from itmj_adapters.memory.jobs import MemoryJobs
from itmj_adapters.memory.store import MemoryStore, Transaction
from itmj_adapters.memory.webhooks import MemoryDeliveries, MemoryOutbox, MemorySubscriptions

_REPOSITORIES: dict[str, type] = {
    "employers": MemoryEmployers,
    "users": MemoryUsers,
    "api_keys": MemoryApiKeys,
    "jobs": MemoryJobs,
    "ledger": MemoryLedger,
    "contracts": MemoryContracts,
    "candidates": MemoryCandidates,
    "unlocks": MemoryUnlocks,
    "applications": MemoryApplications,
    "subscriptions": MemorySubscriptions,
    "deliveries": MemoryDeliveries,
    "outbox": MemoryOutbox,
}


class MemoryUnitOfWork:
    employers: MemoryEmployers
    users: MemoryUsers
    api_keys: MemoryApiKeys
    jobs: MemoryJobs
    ledger: MemoryLedger
    contracts: MemoryContracts
    candidates: MemoryCandidates
    unlocks: MemoryUnlocks
    applications: MemoryApplications
    subscriptions: MemorySubscriptions
    deliveries: MemoryDeliveries
    outbox: MemoryOutbox

    def __init__(self, store: MemoryStore, read_only: bool = False) -> None:
        self._tx = Transaction(store, read_only)

    def __getattr__(self, name: str) -> Any:
        # The repositories are built on first use: a unit of work needs one or two of them.
        if name not in _REPOSITORIES or "_tx" not in self.__dict__:
            raise AttributeError(name)
        repository = _REPOSITORIES[name](self._tx)
        setattr(self, name, repository)
        return repository

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
