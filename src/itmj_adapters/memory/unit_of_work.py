"""The in-memory unit of work: the repositories over one locked transaction."""

from types import TracebackType
from typing import Self

from itmj_adapters.lazy_repository import LazyRepository
from itmj_adapters.memory.accounts import MemoryApiKeys, MemoryEmployers, MemoryUsers
from itmj_adapters.memory.applications import MemoryApplications
from itmj_adapters.memory.candidates import MemoryCandidates, MemoryUnlocks
from itmj_adapters.memory.credentials import MemoryCredentials, MemoryPasswordResets
from itmj_adapters.memory.credits import MemoryContracts, MemoryLedger
from itmj_adapters.memory.idempotency import MemoryIdempotency
from itmj_adapters.memory.invitations import MemoryInvitations
from itmj_adapters.memory.jobs import MemoryJobs
from itmj_adapters.memory.orders import MemoryOrders
from itmj_adapters.memory.staff import MemoryStaff
from itmj_adapters.memory.store import MemoryStore, Transaction
from itmj_adapters.memory.webhooks import MemoryDeliveries, MemoryOutbox, MemorySubscriptions
from itmj_adapters.secret_box import KeyRing


class MemoryUnitOfWork:
    employers = LazyRepository(MemoryEmployers, "_tx")
    users = LazyRepository(MemoryUsers, "_tx")
    api_keys = LazyRepository(MemoryApiKeys, "_tx")
    jobs = LazyRepository(MemoryJobs, "_tx")
    ledger = LazyRepository(MemoryLedger, "_tx")
    contracts = LazyRepository(MemoryContracts, "_tx")
    orders = LazyRepository(MemoryOrders, "_tx")
    invitations = LazyRepository(MemoryInvitations, "_tx")
    candidates = LazyRepository(MemoryCandidates, "_tx")
    unlocks = LazyRepository(MemoryUnlocks, "_tx")
    applications = LazyRepository(MemoryApplications, "_tx")
    subscriptions = LazyRepository(MemorySubscriptions, "_tx", "_secrets")
    deliveries = LazyRepository(MemoryDeliveries, "_tx")
    outbox = LazyRepository(MemoryOutbox, "_tx")
    idempotency = LazyRepository(MemoryIdempotency, "_tx")
    staff = LazyRepository(MemoryStaff, "_tx")
    credentials = LazyRepository(MemoryCredentials, "_tx")
    password_resets = LazyRepository(MemoryPasswordResets, "_tx")

    def __init__(self, store: MemoryStore, secrets: KeyRing, read_only: bool = False) -> None:
        self._tx = Transaction(store, read_only)
        self._secrets = secrets

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
    def __init__(self, store: MemoryStore | None = None, secrets: KeyRing | None = None) -> None:
        """``secrets`` seal webhook secrets; by default a key made for this store alone,
        which lives exactly as long as what it seals."""
        self.store = store or MemoryStore()
        self.secrets = secrets or KeyRing.ephemeral()

    def __call__(self, *, read_only: bool = False) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store, self.secrets, read_only)
