"""Committed test data for the contract suites, written through the port under test."""

from collections.abc import Callable
from datetime import UTC, datetime

from itmj_domain import api_keys
from itmj_domain.accounts import Employer, Role, User
from itmj_domain.api_keys import ApiKey, KeyStatus, Scope
from itmj_domain.applications import Applicant, Application
from itmj_domain.candidates import Candidate
from itmj_domain.credits import Contract, CreditKind, LedgerEntry
from itmj_domain.events import Event, JobExpired, Payload
from itmj_domain.jobs import ApplyMethod, EmploymentType, JobContent, JobPost, RemoteType
from itmj_domain.orders import BUNDLES, Bundle, CreditOrder
from itmj_domain.ports import UnitOfWorkFactory
from itmj_domain.staff import StaffMember
from itmj_domain.team import Invitation, IssuedInvitation, issue
from itmj_domain.webhooks.deliveries import Delivery
from itmj_domain.webhooks.subscriptions import SUBSCRIBABLE, EventType, Subscription

# Microseconds and an odd second, so that a store losing precision shows.
T0 = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
APPLICANT = Applicant("Pat Example", "pat@example.com")

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

    def staff_member(self, email: str = "grace@platform.example") -> StaffMember:
        with self._uow() as uow:
            member = StaffMember(uow.staff.next_id(), email, T0)
            uow.staff.add(member)
            uow.commit()
        return member

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

    def candidate(self, external_id: str | None = None, hidden: bool = False) -> Candidate:
        with self._uow() as uow:
            candidate_id = uow.candidates.next_id()
            candidate = Candidate(
                candidate_id, external_id or f"ext-{candidate_id}", "Pat Example",
                "pat@example.com", None, "Engineer", "", (), None, None, frozenset(), T0, hidden,
            )
            uow.candidates.add(candidate)
            uow.commit()
        return candidate

    def application(self, job: JobPost, candidate_id: int,
                    applied_at: datetime = T0) -> Application:
        with self._uow() as uow:
            application = Application(
                uow.applications.next_id(), job.employer_id, job.id, candidate_id,
                job.content.apply_method, applied_at, applicant=APPLICANT,
            )
            uow.applications.add(application)
            uow.commit()
        return application

    def subscription(self, employer_id: int, events: frozenset[EventType] = SUBSCRIBABLE,
                     url: str = "https://hooks.example.com/itmj",
                     enabled: bool = True) -> Subscription:
        with self._uow() as uow:
            subscription = Subscription(
                uow.subscriptions.next_id(), employer_id, url, events, "s3cret", T0
            )
            if not enabled:
                subscription = subscription.disable(T0)
            uow.subscriptions.add(subscription)
            uow.commit()
        return subscription

    def event(self, employer_id: int, payload: Payload | None = None,
              occurred_at: datetime = T0) -> Event:
        with self._uow() as uow:
            event = uow.outbox.add(
                Event.record(employer_id, occurred_at, payload or JobExpired(1, occurred_at))
            )
            uow.commit()
        return event

    def deliveries(self, subscription_id: int, event_id: str, count: int,
                   created_at: datetime = T0, due_at: datetime = T0,
                   prefix: str = "dlv") -> list[Delivery]:
        """``count`` pending deliveries, added in one unit of work, named in creation order."""
        made = [
            Delivery(f"{prefix}_{subscription_id}_{n:04d}", subscription_id, event_id,
                     created_at, due_at)
            for n in range(count)
        ]
        with self._uow() as uow:
            for delivery in made:
                uow.deliveries.add_all([delivery])
            uow.commit()
        return made

    def save_delivery(self, delivery: Delivery) -> Delivery:
        with self._uow() as uow:
            uow.deliveries.save_all([delivery])
            uow.commit()
        return delivery

    def save_subscription(self, subscription: Subscription) -> Subscription:
        with self._uow() as uow:
            uow.subscriptions.save(subscription)
            uow.commit()
        return subscription

    def order(self, employer_id: int, bundle: Bundle = BUNDLES[0], ordered_by: int | None = None,
              created_at: datetime = T0) -> CreditOrder:
        with self._uow() as uow:
            order = CreditOrder(uow.orders.next_id(), employer_id, bundle, ordered_by, created_at)
            uow.orders.add(order)
            uow.commit()
        return order

    def save_order(self, order: CreditOrder) -> CreditOrder:
        with self._uow() as uow:
            uow.orders.save(order)
            uow.commit()
        return order

    def invitation(self, employer_id: int, email: str = "grace@example.com",
                   role: Role = Role.RECRUITER, invited_by: int | None = None,
                   created_at: datetime = T0) -> IssuedInvitation:
        with self._uow() as uow:
            issued = issue(
                uow.invitations.next_id(), employer_id, email, role, invited_by, created_at
            )
            uow.invitations.add(issued.invitation)
            uow.commit()
        return issued

    def save_invitation(self, invitation: Invitation) -> Invitation:
        with self._uow() as uow:
            uow.invitations.save(invitation)
            uow.commit()
        return invitation
