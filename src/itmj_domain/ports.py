"""The ports the use cases need. Adapters satisfy these structurally.

Repositories only exist inside a unit of work: whatever they write becomes visible to others
when, and only when, the unit of work commits. Every repository method that reads one
employer's objects takes that employer's id, so a lookup cannot cross tenants by accident.
"""

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from itmj_domain.accounts import Employer, User
from itmj_domain.api_keys import ApiKey
from itmj_domain.credits import Contract, CreditKind, LedgerEntry
from itmj_domain.jobs import JobPost, JobStatus
from itmj_domain.pagination import Page, PageRequest


class EmployerRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, employer: Employer) -> None: ...
    def get(self, employer_id: int) -> Employer | None: ...


class UserRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, user: User) -> None: ...
    def get(self, user_id: int) -> User | None: ...
    def admins_of(self, employer_id: int) -> Sequence[User]: ...


class ApiKeyRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, key: ApiKey) -> None: ...
    def get(self, key_id: int) -> ApiKey | None: ...
    def find_by_hash(self, key_hash: str) -> ApiKey | None: ...
    def save(self, key: ApiKey) -> None:
        """Store a changed status (approve, reject, revoke); never the last-used time."""
        ...

    def list_for_employer(self, employer_id: int) -> Sequence[ApiKey]: ...
    def touch(self, key_id: int, at: datetime) -> None:
        """Record a use; a value older than ``at`` is replaced, a newer one is kept."""
        ...


class JobRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, job: JobPost) -> None: ...
    def get(self, employer_id: int, job_id: int, *, for_update: bool = False) -> JobPost | None:
        """``for_update`` holds the job against concurrent changes until the unit of work ends."""
        ...

    def save(self, job: JobPost) -> None: ...
    def list(
        self, employer_id: int, status: JobStatus | None, page: PageRequest
    ) -> Page[JobPost]:
        """Newest first (creation time, then id)."""
        ...

    def due_to_expire(self, now: datetime, limit: int) -> Sequence[JobPost]: ...


class CreditLedger(Protocol):
    def next_id(self) -> int: ...
    def append(self, entry: LedgerEntry) -> None:
        """Write an entry. Raises ``NoCredits`` — writing nothing — if it would take the
        employer's balance of that kind below zero; the check and the write are one atomic
        step, even against other processes."""
        ...

    def balances(self, employer_id: int) -> dict[CreditKind, int]: ...
    def entries(self, employer_id: int) -> Sequence[LedgerEntry]:
        """Oldest first."""
        ...


class ContractRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, contract: Contract) -> None: ...
    def active_for(self, employer_id: int, at: datetime) -> Sequence[Contract]: ...


class UnitOfWork(Protocol):
    employers: EmployerRepository
    users: UserRepository
    api_keys: ApiKeyRepository
    jobs: JobRepository
    ledger: CreditLedger
    contracts: ContractRepository

    def commit(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Leaving without ``commit`` discards every change."""
        ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """``read_only`` promises no writes, which lets an adapter skip transaction costs."""
        ...


class Notifier(Protocol):
    """Outbound email to people (admins), not to partners' systems."""

    def send(self, to: str, subject: str, body: str) -> None: ...


class HealthProbe(Protocol):
    name: str

    def check(self) -> None:
        """Return when the dependency answers; raise any exception when it does not."""
        ...
