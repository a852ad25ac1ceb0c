"""Persistence: the repositories, the unit of work they live in, and reference data.

Repositories only exist inside a unit of work: whatever they write becomes visible to others
when, and only when, the unit of work commits. Every repository method that reads one
employer's objects takes that employer's id, so a lookup cannot cross tenants by accident.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from itmj_domain.accounts import Employer, User
from itmj_domain.api_keys import ApiKey
from itmj_domain.applications import Application, ApplicationStatus
from itmj_domain.candidates import Candidate
from itmj_domain.countries import Country
from itmj_domain.credits import Contract, CreditKind, LedgerEntry
from itmj_domain.events import Event
from itmj_domain.idempotency import IdempotencyRecord, IdempotentRequest, StoredResponse
from itmj_domain.jobs import JobPost, JobStatus, OpenJobSearch
from itmj_domain.orders import CreditOrder, OrderStatus
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.password_resets import PasswordReset
from itmj_domain.principals import Principal
from itmj_domain.staff import StaffMember
from itmj_domain.team import Invitation
from itmj_domain.unlocks import Unlock
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.subscriptions import EventType, Subscription


class EmployerRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, employer: Employer) -> None: ...
    def get(self, employer_id: int) -> Employer | None: ...
    def save(self, employer: Employer) -> None: ...
    def list(self, page: PageRequest) -> Page[Employer]:
        """Every employer, by id (platform staff only)."""
        ...


class UserRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, user: User) -> None:
        """Raises ``InvalidInput`` (field ``email``), writing nothing, when another user has
        the same email (``accounts.same_email``), even one added concurrently."""
        ...

    def get(self, user_id: int) -> User | None: ...
    def find_by_email(self, email: str) -> User | None:
        """The user whose email is ``email`` as ``accounts.same_email`` compares them."""
        ...

    def save(self, user: User) -> None:
        """Store a changed role."""
        ...

    def remove(self, user_id: int) -> None:
        """Delete the user; keys they minted stay, no longer naming who minted them."""
        ...

    def list_for_employer(self, employer_id: int) -> Sequence[User]:
        """By id."""
        ...

    def admins_of(self, employer_id: int, *, for_update: bool = False) -> Sequence[User]:
        """By id. ``for_update`` holds them until the unit of work ends, so two changes
        that each count the admins cannot both go ahead on the same count."""
        ...


class StaffRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, member: StaffMember) -> None:
        """Raises ``InvalidInput`` (field ``email``), writing nothing, when the email is
        taken, even concurrently."""
        ...

    def get(self, staff_id: int) -> StaffMember | None: ...
    def find_by_email(self, email: str) -> StaffMember | None: ...


class CredentialRepository(Protocol):
    """The password hashes of users and staff alike, by principal."""

    def password_hash(self, principal: Principal) -> str | None:
        """None for a principal who has no password (yet)."""
        ...

    def set_password_hash(self, principal: Principal, password_hash: str) -> None: ...


class PasswordResetRepository(Protocol):
    def add(self, reset: PasswordReset) -> None: ...
    def find_open(self, token_hash: str, now: datetime) -> PasswordReset | None:
        """The reset, if it exists, is unused and has not expired at ``now``; changes
        nothing."""
        ...

    def consume(self, token_hash: str, now: datetime) -> PasswordReset | None:
        """Use the reset up, with every other open reset of its holder: the reset, if it
        exists, is unused and has not expired at ``now``; none of them can be consumed
        again. Atomic against concurrent callers, so of all the links a holder has open, at
        most one sets a password."""
        ...

    def void_all(self, holder: Principal, now: datetime) -> None:
        """Use up every open reset of that holder, whose password was set another way."""
        ...


class ApiKeyRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, key: ApiKey) -> None: ...
    def get(self, key_id: int) -> ApiKey | None: ...
    def find_by_hash(self, key_hash: str) -> ApiKey | None: ...
    def find_by_hash_with_job(
        self, key_hash: str, job_id: int
    ) -> tuple[ApiKey | None, JobPost | None]:
        """``find_by_hash``, and the job ``job_id`` when the key's employer has it (whatever
        the key's status: the caller decides what the key may do). An authenticated read of
        one job is the API's commonest call; a store that can join the two answers it in one
        lookup."""
        ...

    def save(self, key: ApiKey) -> None:
        """Store a changed status (approve, reject, revoke); never the last-used time."""
        ...

    def list_for_employer(self, employer_id: int) -> Sequence[ApiKey]: ...
    def pending(self, limit: int) -> Sequence[ApiKey]:
        """Every employer's keys waiting for approval, oldest first (created, then id)."""
        ...

    def touch(self, key_id: int, at: datetime) -> None:
        """Record a use; a value older than ``at`` is replaced, a newer one is kept."""
        ...

    def touch_many(self, uses: Mapping[int, datetime]) -> None:
        """``touch`` each key of ``uses`` at its time, in one round trip."""
        ...


class JobRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, job: JobPost) -> None: ...
    def get(self, employer_id: int, job_id: int, *, for_update: bool = False) -> JobPost | None:
        """``for_update`` holds the job against concurrent changes until the unit of work ends."""
        ...

    def find(self, job_id: int) -> JobPost | None:
        """Platform-side lookup by id alone (a candidate applying): never for partners."""
        ...

    def save(self, job: JobPost) -> None: ...
    def list(
        self, employer_id: int, status: JobStatus | None, page: PageRequest, *,
        reference: str | None = None, updated_since: datetime | None = None,
    ) -> Page[JobPost]:
        """Newest first (``JobPost.position``: creation time, then id), only those with
        that status, that reference (exactly) and updated at or after ``updated_since``, when
        given. A page after a position holds the rows older than it; ``total`` counts every
        match, before the position too."""
        ...

    def due_to_expire(self, now: datetime, limit: int) -> Sequence[JobPost]: ...
    def list_open(
        self, now: datetime, search: OpenJobSearch, page: PageRequest
    ) -> Page[JobPost]:
        """Every employer's jobs open at ``now`` (``JobPost.is_open``) that ``search``
        matches (``OpenJobSearch.matches``), newest posted first (then id): the public list."""
        ...

    def open_countries(self, now: datetime) -> Sequence[str]:
        """The distinct countries of the jobs open at ``now``, ordered by their lower-case
        form, then as written, character by character."""
        ...


class CreditLedger(Protocol):
    def next_id(self) -> int: ...
    def append(self, entry: LedgerEntry) -> int:
        """Write an entry and return the employer's balance of that kind with it. Raises
        ``NoCredits`` — writing nothing — if it would take the balance below zero; the check,
        the write and the balance returned are one atomic step, even against other
        processes."""
        ...

    def balances(self, employer_id: int) -> dict[CreditKind, int]: ...
    def entries(self, employer_id: int) -> Sequence[LedgerEntry]:
        """Oldest first."""
        ...

    def history(self, employer_id: int, page: PageRequest) -> Page[LedgerEntry]:
        """Newest first."""
        ...


class ContractRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, contract: Contract) -> None: ...
    def active_for(self, employer_id: int, at: datetime) -> Sequence[Contract]: ...
    def list_for_employer(self, employer_id: int) -> Sequence[Contract]:
        """Past, present and future, latest start first."""
        ...


class OrderRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, order: CreditOrder) -> None: ...
    def get(self, order_id: int, *, for_update: bool = False) -> CreditOrder | None:
        """``for_update`` holds the order until the unit of work ends: of two confirmations
        at once, the second sees what the first decided."""
        ...

    def save(self, order: CreditOrder) -> None: ...
    def list_for_employer(self, employer_id: int, page: PageRequest) -> Page[CreditOrder]:
        """Newest first."""
        ...

    def with_status(self, status: OrderStatus, page: PageRequest) -> Page[CreditOrder]:
        """Every employer's orders in that status, oldest first (the queue staff work)."""
        ...


class InvitationRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, invitation: Invitation) -> None: ...
    def find_by_token_hash(
        self, token_hash: str, *, for_update: bool = False
    ) -> Invitation | None: ...
    def get(self, invitation_id: int, *, for_update: bool = False) -> Invitation | None: ...
    def save(self, invitation: Invitation) -> None:
        """Store when it was accepted or withdrawn (nothing else of an invitation changes)."""
        ...
    def open_for_employer(self, employer_id: int, now: datetime) -> Sequence[Invitation]:
        """Neither accepted, withdrawn nor expired at ``now``, newest first."""
        ...


class CandidateRepository(Protocol):
    """One candidate at a time, and the same in bulk for imports (``next_ids``,
    ``find_by_external_ids``, ``add_many``, ``save_many``): a bulk call costs one round trip
    to the store however many candidates it carries."""

    def next_id(self) -> int: ...
    def next_ids(self, count: int) -> Sequence[int]:
        """``count`` ids never handed out before, in ascending order."""
        ...

    def add(self, candidate: Candidate) -> None: ...
    def add_many(self, candidates: Sequence[Candidate]) -> None:
        """``add`` each of them (new ids, new external ids: none stored yet)."""
        ...

    def save(self, candidate: Candidate) -> None: ...
    def save_many(self, candidates: Sequence[Candidate]) -> None:
        """``save`` each of them (one candidate, one entry)."""
        ...

    def get(self, candidate_id: int) -> Candidate | None: ...
    def get_many(self, candidate_ids: Sequence[int]) -> Sequence[Candidate]:
        """The stored candidates among ``candidate_ids``, in one lookup, in no set order;
        ids of none are left out."""
        ...

    def find_by_external_id(self, external_id: str) -> Candidate | None: ...
    def find_by_external_ids(self, external_ids: Sequence[str]) -> Sequence[Candidate]:
        """The stored candidates whose external ids are among ``external_ids`` (matched
        exactly, as ``find_by_external_id`` does), in one lookup, in no set order."""
        ...

    def find_by_email(self, email: str) -> Candidate | None:
        """The candidate with that email in any letter case (``accounts.same_email``); of
        several (imports do not keep emails unique), the one with the lowest id."""
        ...

    def batch_after(self, after_id: int, limit: int) -> Sequence[Candidate]:
        """Up to ``limit`` candidates, hidden ones included, with ids above ``after_id``, by
        id: walks every candidate in batches without holding them all."""
        ...


class UnlockRepository(Protocol):
    def open_window(self, unlock: Unlock) -> tuple[Unlock, bool]:
        """Record ``unlock`` unless the employer has a window on that candidate still active
        at ``unlock.unlocked_at``; returns the window in force and whether this call opened
        it. Atomic against concurrent callers, so exactly one of them opens (and pays for)
        a window."""
        ...

    def latest(self, employer_id: int, candidate_ids: Sequence[int]) -> dict[int, Unlock]:
        """The most recent unlock of each of those candidates by the employer, if any."""
        ...


class ApplicationRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, application: Application) -> None: ...
    def get(self, application_id: int, *, for_update: bool = False) -> Application | None: ...
    def save(self, application: Application) -> None: ...
    def find_for_candidate(self, job_id: int, candidate_id: int) -> Application | None:
        """The candidate's application to that job (the oldest, should there be several)."""
        ...

    def list_for_job(
        self, employer_id: int, job_id: int, status: ApplicationStatus | None, page: PageRequest,
        *, updated_since: datetime | None = None,
    ) -> Page[Application]:
        """Newest first (``Application.position``: application time, then id), only those
        with that status and last changed at or after ``updated_since``, when given; pages
        after a position as ``JobRepository.list`` does."""
        ...


class SubscriptionRepository(Protocol):
    def next_id(self) -> int: ...
    def add(self, subscription: Subscription) -> None: ...
    def get(self, subscription_id: int, *, for_update: bool = False) -> Subscription | None: ...
    def save(self, subscription: Subscription) -> None: ...
    def delete(self, subscription_id: int) -> None:
        """Remove the subscription and its deliveries."""
        ...

    def list_for_employer(self, employer_id: int) -> Sequence[Subscription]: ...
    def wanting(self, employer_id: int, event: EventType) -> Sequence[Subscription]:
        """The employer's subscriptions to that event, enabled or not (a disabled one's
        deliveries wait for it), by id."""
        ...


class DeliveryRepository(Protocol):
    def add_all(self, deliveries: Sequence[Delivery]) -> None: ...
    def get(self, delivery_id: str) -> Delivery | None: ...
    def save_all(self, deliveries: Sequence[Delivery]) -> None:
        """Store the outcomes of attempts and release the deliveries' leases."""
        ...

    def lease(
        self, delivery_ids: Sequence[str], now: datetime, until: datetime, max_in_flight: int
    ) -> Sequence[Delivery]:
        """Claim those of the deliveries that are pending, due, unleased, not held back
        and whose subscription is enabled, until ``until``; never more than ``max_in_flight``
        leases live at once per subscription, counting leases other workers hold, and never
        two deliveries of one subscription about one subject (``Event.subject``) at once:
        of those asked for, the one of the lowest event ``sequence``. Atomic against
        concurrent claims. Returns what was claimed, in the order asked.

        A delivery is held back while another delivery of its subscription about the same
        subject is leased (being sent), and, for a first attempt (``attempts`` 0), while
        another about the same subject with a lower ``sequence`` still waits for its own
        first attempt. So first attempts about one application or job go out one after
        another in ``sequence`` order (SPEC §12), and a failed attempt releases the next
        event at once: retries may land after later events."""
        ...

    def due(self, now: datetime, limit: int) -> Sequence[str]:
        """Ids of the deliveries ``lease`` could claim now, soonest due first, then by event
        ``sequence``, then by id."""
        ...

    def resume(self, subscription_id: int, now: datetime) -> None:
        """Make every pending delivery of the subscription due at ``now``, retries included
        (their attempts are kept), so that ``due`` gives them by event ``sequence``."""
        ...

    def list_for_subscription(
        self, subscription_id: int, status: DeliveryStatus | None, page: PageRequest
    ) -> Page[Delivery]:
        """Oldest first."""
        ...


class Outbox(Protocol):
    """Every event, numbered per employer as it is stored, and those waiting to be turned
    into deliveries."""

    def add(self, event: Event) -> Event:
        """Store the event; returns it as stored, numbered (``sequence``) one above the
        employer's last event. An employer's events become visible to other units of work
        in the order of their numbers, even when written by concurrent units of work (the
        second waits for the first to end), so a reader paging by number never sees a lower
        number appear after a higher one."""
        ...
    def get_many(self, event_ids: Sequence[str]) -> dict[str, Event]:
        """The events among those ids that exist, by id."""
        ...

    def claim_unrelayed(self, limit: int) -> Sequence[Event]:
        """The oldest unrelayed events, in the order they were stored. One unit of work
        claims at a time: another waits until it ends, then finds those relayed, so events
        become deliveries in the order they were stored."""
        ...

    def mark_relayed(self, event_ids: Sequence[str], at: datetime) -> None: ...
    def oldest_unrelayed(self) -> datetime | None:
        """When the oldest event not yet relayed occurred; None when all are relayed."""
        ...

    def list_for_employer(
        self, employer_id: int, after: int, types: frozenset[EventType], since: datetime,
        limit: int,
    ) -> Sequence[Event]:
        """Up to ``limit`` of the employer's events numbered above ``after``, of one of
        ``types``, that occurred at or after ``since``; by number."""
        ...


class IdempotencyRepository(Protocol):
    def claim(
        self, request: IdempotentRequest, now: datetime, cutoff: datetime
    ) -> IdempotencyRecord | None:
        """Hold ``request.key`` of its API key for this unit of work and return None, or
        return the record already stored under it if made after ``cutoff`` (one made at or
        before it has expired, and is replaced). A concurrent claim of the same key waits
        for the unit of work holding it to end, then finds its record if it committed, or
        takes the key."""
        ...

    def complete(self, request: IdempotentRequest, response: StoredResponse) -> None:
        """Store the answer to the request whose key this unit of work claimed."""
        ...

    def delete_expired(self, cutoff: datetime, limit: int) -> int:
        """Forget up to ``limit`` records made at or before ``cutoff``; returns how many."""
        ...


class UnitOfWork(Protocol):
    """One transaction's view of the stored state. Its repositories are read-only members:
    a use case reads them and calls them, never replaces them, so each adapter's unit of work
    may hold its own repository classes."""

    @property
    def employers(self) -> EmployerRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def api_keys(self) -> ApiKeyRepository: ...
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def ledger(self) -> CreditLedger: ...
    @property
    def contracts(self) -> ContractRepository: ...
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def invitations(self) -> InvitationRepository: ...
    @property
    def candidates(self) -> CandidateRepository: ...
    @property
    def unlocks(self) -> UnlockRepository: ...
    @property
    def applications(self) -> ApplicationRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def deliveries(self) -> DeliveryRepository: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def idempotency(self) -> IdempotencyRepository: ...
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def credentials(self) -> CredentialRepository: ...
    @property
    def password_resets(self) -> PasswordResetRepository: ...

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


class CountryDirectory(Protocol):
    """ISO 3166-1: reference data that only a migration changes."""

    def all(self) -> Sequence[Country]:
        """Every country, in ``countries.name_order``."""
        ...

    def get(self, country_id: int) -> Country | None: ...
