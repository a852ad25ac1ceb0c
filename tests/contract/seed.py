"""Committed test data for the contract suites, written through the port under test."""

from collections.abc import Callable
from datetime import UTC, datetime

from itmj_domain import api_keys
from itmj_domain.accounts import Employer, Role, User
from itmj_domain.api_keys import ApiKey, KeyStatus, Scope
from itmj_domain.credits import Contract, CreditKind, LedgerEntry
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, JobPost, RemoteType
from itmj_domain.ports import UnitOfWorkFactory

# Microseconds and an odd second, so that a store losing precision shows.
T0 = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)

CONTENT = JobContent(
    title="IT Manager",
    description="Run the service desk.",
    employment_type=EmploymentType.FULL_TIME,
    remote_type=RemoteType.ON_SITE,
    apply_method=ApplyMethod.PORTAL_APPLY,
)


class Seed:
    """Committed fixtures, each written in a unit of work of its own."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def employer(self, name: str = "Acme", trusted_partner: bool = False) -> Employer:
        with self._uow() as uow:
            employer = Employer(uow.employers.next_id(), name, trusted_partner, T0)
            uow.employers.add(employer)
            uow.commit()
        return employer

    def user(self, employer_id: int, email: str = "ada@example.com",
             role: Role = Role.EMPLOYER_ADMIN) -> User:
        with self._uow() as uow:
            user = User(uow.users.next_id(), employer_id, email, role, T0)
            uow.users.add(user)
            uow.commit()
        return user

    def key(self, employer_id: int, name: str = "ATS", status: KeyStatus = KeyStatus.ACTIVE,
            scopes: frozenset[Scope] = frozenset({Scope.JOB_POSTING})) -> ApiKey:
        with self._uow() as uow:
            key = api_keys.mint(
                uow.api_keys.next_id(), employer_id, name, scopes, None, T0, status
            ).key
            uow.api_keys.add(key)
            uow.commit()
        return key

    def job(self, employer_id: int, created_at: datetime = T0,
            content: JobContent = CONTENT) -> JobPost:
        with self._uow() as uow:
            job = JobPost.draft(uow.jobs.next_id(), employer_id, content, created_at)
            uow.jobs.add(job)
            uow.commit()
        return job

    def save_job(self, job: JobPost) -> JobPost:
        with self._uow() as uow:
            uow.jobs.save(job)
            uow.commit()
        return job

    def entry(self, make: Callable[[int], LedgerEntry]) -> LedgerEntry:
        """Append ``make(entry_id)`` and commit it."""
        with self._uow() as uow:
            entry = make(uow.ledger.next_id())
            uow.ledger.append(entry)
            uow.commit()
        return entry

    def contract(self, employer_id: int, kinds: frozenset[CreditKind],
                 valid_from: datetime, valid_until: datetime) -> Contract:
        with self._uow() as uow:
            contract = Contract(
                uow.contracts.next_id(), employer_id, kinds, valid_from, valid_until
            )
            uow.contracts.add(contract)
            uow.commit()
        return contract
