"""Signing up, signing in and resetting passwords: employer users and platform staff.

Wrong email and wrong password are one answer, and both cost one password hash, so that
neither the reply nor its timing says whether an account exists. Attempts are limited per
account and per address, before any password is checked: guessing is slow, and a flood of
attempts costs no hashing. A stranger's sign-up or password reset computes a hash only once
everything cheap has passed (the email is free, the link is open), and both are limited per
address too. Asking for a reset link only counts the request and queues the mail, the same
steps whether or not the account exists.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeGuard, TypeVar

import attrs

from itmj_domain import password_resets, passwords
from itmj_domain.accounts import Employer, Role, User, check_email, check_name, same_email
from itmj_domain.clock import Clock
from itmj_domain.errors import DomainError, InvalidInput, NotFound
from itmj_domain.passwords import PasswordHasher, check_new_password
from itmj_domain.ports import (
    Notifier,
    StaffRepository,
    TaskQueue,
    UnitOfWork,
    UnitOfWorkFactory,
    UserRepository,
)
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.rate_limits import RateLimiter, RateLimitPolicy
from itmj_domain.services.accounts import require_free_email
from itmj_domain.staff import StaffMember

_HOUR = 60 * 60
# An account's owner mistypes a few times; a guesser needs thousands. The address limit is
# higher, since an office behind one address has many people signing in.
SIGN_IN_PER_ACCOUNT = RateLimitPolicy("sign-in-account", limit=10, period_seconds=15 * 60)
SIGN_IN_PER_ADDRESS = RateLimitPolicy("sign-in-address", limit=100, period_seconds=15 * 60)
# A company signs up once; typos do not count (the form is checked first).
SIGN_UP_PER_ADDRESS = RateLimitPolicy("sign-up-address", limit=10, period_seconds=_HOUR)
# Each request may send a mail to someone who did not ask: an inbox gets a few an hour
# however many requests name it, whether or not it has an account.
RESET_REQUESTS_PER_EMAIL = RateLimitPolicy("reset-request-email", limit=3, period_seconds=_HOUR)
RESET_REQUESTS_PER_ADDRESS = RateLimitPolicy(
    "reset-request-address", limit=20, period_seconds=_HOUR
)
# Choosing the new password through a link.
RESETS_PER_ADDRESS = RateLimitPolicy("reset-address", limit=20, period_seconds=_HOUR)
INVALID_LINK = "this link is invalid, already used or expired; ask for a new one"
# Whoever signs in: an employer's user or a member of platform staff.
Person = TypeVar("Person", User, StaffMember)


class TooManyAttempts(DomainError):
    """``attempts`` names what was tried too often, as the refusal says it."""

    def __init__(self, retry_after_seconds: int, attempts: str) -> None:
        minutes = max(1, -(-retry_after_seconds // 60))
        super().__init__(
            f"too many {attempts}; try again in {minutes} minute"
            + ("" if minutes == 1 else "s")
        )
        self.retry_after_seconds = retry_after_seconds


@attrs.frozen
class SignedUp:
    employer: Employer
    admin: User


@attrs.frozen
class PortalAccounts:
    uow: UnitOfWorkFactory
    clock: Clock
    notifier: Notifier
    tasks: TaskQueue
    hasher: PasswordHasher
    # None only where limits are switched off (the benchmark).
    limiter: RateLimiter | None = None

    def sign_up(self, employer_name: str, admin_name: str, email: str, password: str,
                address: str) -> SignedUp:
        """A new employer and its first EmployerAdmin, in one step: no employer is left
        behind without an admin when the email is taken. Raises ``TooManyAttempts`` once
        ``address`` has signed up too often; the password is hashed only after the form,
        that limit and a free email have passed."""
        employer_name, admin_name, email = employer_name.strip(), admin_name.strip(), email.strip()
        check_new_password(password)
        check_email(email)
        with _as_field("employer_name", "company name"):
            check_name(employer_name)
        with _as_field("admin_name", "your name"):
            check_name(admin_name)
        self._limit("sign-ups", (SIGN_UP_PER_ADDRESS, address))
        with self.uow(read_only=True) as uow:
            require_free_email(uow, email)
        password_hash = self.hasher.hash(password)
        now = self.clock.now()
        with self.uow() as uow:
            employer = Employer(uow.employers.next_id(), employer_name, False, now)
            admin = User(uow.users.next_id(), employer.id, email, Role.EMPLOYER_ADMIN, now,
                         name=admin_name)
            # Taken while the password was hashed.
            require_free_email(uow, admin.email)
            uow.employers.add(employer)
            uow.users.add(admin)
            uow.credentials.set_password_hash(Principal(PrincipalKind.USER, admin.id),
                                              password_hash)
            uow.commit()
        return SignedUp(employer, admin)

    def sign_in(self, email: str, password: str, address: str) -> User | None:
        """The user, when the password is theirs; None otherwise. Raises
        ``TooManyAttempts``, checking nothing, once the account or ``address`` (where the
        attempt comes from) has tried too often."""
        return self._sign_in(PrincipalKind.USER, lambda uow: uow.users.find_by_email(email),
                             email, password, address)

    def sign_in_staff(self, email: str, password: str, address: str) -> StaffMember | None:
        """As ``sign_in``, for a member of platform staff."""
        return self._sign_in(PrincipalKind.STAFF, lambda uow: uow.staff.find_by_email(email),
                             email, password, address)

    def request_password_reset(self, email: str, address: str, page_url: str) -> None:
        """Have a single-use link to ``page_url`` emailed to the user with that email, if
        there is one. Raises ``TooManyAttempts`` once ``address`` or the email has asked too
        often. Only the limits and the queueing happen here, the same whether or not the
        account exists; the task (``send_password_reset``) looks it up."""
        email = email.strip()
        check_email(email)
        self._limit("password reset requests", (RESET_REQUESTS_PER_ADDRESS, address),
                    (RESET_REQUESTS_PER_EMAIL, same_email(email)))
        self.tasks.send_password_reset(email, page_url)

    def send_password_reset(self, email: str, page_url: str) -> None:
        """The queued half of ``request_password_reset``: issue a link and email it to the
        user with that email; nothing when there is none."""
        now = self.clock.now()
        with self.uow() as uow:
            user = uow.users.find_by_email(email)
            if user is None:
                return
            issued = password_resets.issue(
                Principal(PrincipalKind.USER, user.id), now, password_resets.RESET_VALID_FOR
            )
            uow.password_resets.add(issued.reset)
            uow.commit()
        minutes = int(password_resets.RESET_VALID_FOR.total_seconds() // 60)
        self.notifier.send(
            user.email,
            "Reset your ITManagerJobs password",
            "Someone (we hope you) asked to reset the password of your ITManagerJobs "
            f"employer account. Choose a new one here within {minutes} minutes:\n\n"
            f"{password_resets.link(page_url, issued.token)}\n\nThe link works once. If you "
            "did not ask, ignore this email: your password stays as it is.",
        )

    def reset_password(self, token: str, password: str, address: str) -> Principal:
        """Set the password of whoever the link was issued to; the link is then used up,
        with every other link its holder has open. A password that breaks the rules leaves
        the link usable. Raises ``TooManyAttempts`` once ``address`` has tried too often;
        the password is hashed only for an open link."""
        check_new_password(password)
        self._limit("password resets", (RESETS_PER_ADDRESS, address))
        token_hash = password_resets.hash_token(token)
        with self.uow(read_only=True) as uow:
            if uow.password_resets.find_open(token_hash, self.clock.now()) is None:
                raise InvalidInput(INVALID_LINK, field="token")
        # Hashed outside any unit of work, which would hold a connection (in memory, the
        # whole store) for as long as the hash takes.
        password_hash = self.hasher.hash(password)
        with self.uow() as uow:
            reset = uow.password_resets.consume(token_hash, self.clock.now())
            if reset is None:  # used, or voided, while the password was hashed
                raise InvalidInput(INVALID_LINK, field="token")
            uow.credentials.set_password_hash(reset.holder, password_hash)
            uow.commit()
        return reset.holder

    def set_password(self, principal: Principal, password: str) -> None:
        """Set a password directly: for seeding demo accounts, not for people, who go
        through a link sent to their email. Every link the holder has open is voided."""
        check_new_password(password)
        password_hash = self.hasher.hash(password)
        with self.uow() as uow:
            if _people(uow, principal.kind).get(principal.id) is None:
                raise NotFound(f"{principal.kind.noun} {principal.id} not found")
            # Before the password, in the order a link's use takes the same locks.
            uow.password_resets.void_all(principal, self.clock.now())
            uow.credentials.set_password_hash(principal, password_hash)
            uow.commit()

    def credential(self, principal: Principal) -> str | None:
        """The fingerprint of the principal's password as stored now (None without one)."""
        with self.uow(read_only=True) as uow:
            stored = uow.credentials.password_hash(principal)
        return None if stored is None else passwords.fingerprint(stored)

    def user(self, user_id: int) -> User | None:
        with self.uow(read_only=True) as uow:
            return uow.users.get(user_id)

    def staff_member(self, staff_id: int) -> StaffMember | None:
        with self.uow(read_only=True) as uow:
            return uow.staff.get(staff_id)

    def add_staff(self, email: str) -> tuple[StaffMember, str]:
        """A staff member without a password, and the token of the link that sets it."""
        now = self.clock.now()
        with self.uow() as uow:
            member = StaffMember(uow.staff.next_id(), email.strip(), now)
            if uow.staff.find_by_email(member.email) is not None:
                raise InvalidInput("a staff member with this email already exists",
                                   field="email")
            uow.staff.add(member)
            issued = password_resets.issue(
                Principal(PrincipalKind.STAFF, member.id), now,
                password_resets.STAFF_SETUP_VALID_FOR,
            )
            uow.password_resets.add(issued.reset)
            uow.commit()
        return member, issued.token

    def _sign_in(self, kind: PrincipalKind, find: Callable[[UnitOfWork], Person | None],
                 email: str, password: str, address: str) -> Person | None:
        """The person ``find`` finds by ``email``, when the password is theirs."""
        self._limit("sign-in attempts", (SIGN_IN_PER_ADDRESS, address),
                    (SIGN_IN_PER_ACCOUNT, f"{kind.value}:{same_email(email)}"))
        with self.uow(read_only=True) as uow:
            person = find(uow)
            stored = (None if person is None
                      else uow.credentials.password_hash(Principal(kind, person.id)))
        if not self._matches(stored, password):
            return None
        # What ``_matches`` accepts is a stored hash, which only a person found has.
        assert person is not None
        assert stored is not None
        if self.hasher.needs_rehash(stored):
            with self.uow() as uow:
                uow.credentials.set_password_hash(Principal(kind, person.id),
                                                  self.hasher.hash(password))
                uow.commit()
        return person

    def _limit(self, attempts: str, *counted: tuple[RateLimitPolicy, str]) -> None:
        """Count one attempt of each subject under its policy; raise ``TooManyAttempts``,
        naming ``attempts``, at the first that is over."""
        if self.limiter is None:
            return
        for policy, subject in counted:
            decision = self.limiter.hit(policy, subject)
            if not decision.allowed:
                raise TooManyAttempts(decision.retry_after_seconds, attempts)

    def _matches(self, stored: str | None, password: str) -> TypeGuard[str]:
        """Whether ``password`` is the one ``stored`` holds; never when nothing is stored."""
        if stored is None:
            # As long as a real check, so that a missing account cannot be told by timing.
            self.hasher.hash(password)
            return False
        return self.hasher.verify(stored, password)


def _people(uow: UnitOfWork, kind: PrincipalKind) -> UserRepository | StaffRepository:
    return uow.users if kind is PrincipalKind.USER else uow.staff


@contextmanager
def _as_field(field: str, label: str) -> Iterator[None]:
    """Sign-up names two things: a broken name rule says which one."""
    try:
        yield
    except InvalidInput as error:
        if error.field != "name":
            raise
        raise InvalidInput(error.message.replace("name", label, 1), field=field) from None
