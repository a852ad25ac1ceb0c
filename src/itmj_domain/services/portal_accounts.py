"""Signing up, signing in and resetting passwords: employer users and platform staff.

Wrong email and wrong password are one answer, and both cost one password hash, so that
neither the reply nor its timing says whether an account exists. Attempts are limited per
account and per address, before any password is checked: guessing is slow, and a flood of
attempts costs no hashing.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import attrs

from itmj_domain import password_resets, passwords
from itmj_domain.accounts import Employer, Role, User, check_email, same_email
from itmj_domain.clock import Clock
from itmj_domain.errors import DomainError, InvalidInput, NotFound
from itmj_domain.password_resets import HolderKind
from itmj_domain.passwords import PasswordHasher, check_new_password
from itmj_domain.ports import Notifier, UnitOfWorkFactory
from itmj_domain.rate_limits import RateLimiter, RateLimitPolicy
from itmj_domain.services.accounts import require_free_email
from itmj_domain.sessions import Principal, PrincipalKind
from itmj_domain.staff import StaffMember

# An account's owner mistypes a few times; a guesser needs thousands. The address limit is
# higher, since an office behind one address has many people signing in.
SIGN_IN_PER_ACCOUNT = RateLimitPolicy("sign-in-account", limit=10, period_seconds=15 * 60)
SIGN_IN_PER_ADDRESS = RateLimitPolicy("sign-in-address", limit=100, period_seconds=15 * 60)
INVALID_LINK = "this link is invalid, already used or expired; ask for a new one"

_KINDS = {HolderKind.USER: PrincipalKind.USER, HolderKind.STAFF: PrincipalKind.STAFF}


class TooManyAttempts(DomainError):
    def __init__(self, retry_after_seconds: int) -> None:
        minutes = max(1, -(-retry_after_seconds // 60))
        super().__init__(
            f"too many sign-in attempts; try again in {minutes} minute"
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
    hasher: PasswordHasher
    # None only where limits are switched off (the benchmark).
    limiter: RateLimiter | None = None

    def sign_up(self, employer_name: str, admin_name: str, email: str, password: str
                ) -> SignedUp:
        """A new employer and its first EmployerAdmin, in one step: no employer is left
        behind without an admin when the email is taken."""
        check_new_password(password)
        check_email(email.strip())
        password_hash = self.hasher.hash(password)
        now = self.clock.now()
        with self.uow() as uow:
            with _as_field("employer_name", "company name"):
                employer = Employer(uow.employers.next_id(), employer_name.strip(), False, now)
            with _as_field("admin_name", "your name"):
                admin = User(
                    uow.users.next_id(), employer.id, email.strip(), Role.EMPLOYER_ADMIN, now,
                    name=admin_name.strip(),
                )
            require_free_email(uow, admin.email)
            uow.employers.add(employer)
            uow.users.add(admin)
            uow.users.set_password_hash(admin.id, password_hash)
            uow.commit()
        return SignedUp(employer, admin)

    def sign_in(self, email: str, password: str, address: str) -> User | None:
        """The user, when the password is theirs; None otherwise. Raises
        ``TooManyAttempts``, checking nothing, once the account or ``address`` (where the
        attempt comes from) has tried too often."""
        self._limit("user", email, address)
        with self.uow(read_only=True) as uow:
            user = uow.users.find_by_email(email)
            stored = uow.users.password_hash(user.id) if user is not None else None
        if not self._matches(stored, password):
            return None
        assert user is not None
        if self.hasher.needs_rehash(stored):
            with self.uow() as uow:
                uow.users.set_password_hash(user.id, self.hasher.hash(password))
                uow.commit()
        return user

    def sign_in_staff(self, email: str, password: str, address: str) -> StaffMember | None:
        self._limit("staff", email, address)
        with self.uow(read_only=True) as uow:
            member = uow.staff.find_by_email(email)
            stored = uow.staff.password_hash(member.id) if member is not None else None
        if not self._matches(stored, password):
            return None
        assert member is not None
        if self.hasher.needs_rehash(stored):
            with self.uow() as uow:
                uow.staff.set_password_hash(member.id, self.hasher.hash(password))
                uow.commit()
        return member

    def request_password_reset(self, email: str, link: Callable[[str], str]) -> None:
        """Email a single-use link (``link(token)``) to the user with that email, if there is
        one; otherwise do nothing, visibly the same."""
        now = self.clock.now()
        with self.uow() as uow:
            user = uow.users.find_by_email(email)
            if user is None:
                return
            issued = password_resets.issue(
                HolderKind.USER, user.id, now, password_resets.RESET_VALID_FOR
            )
            uow.password_resets.add(issued.reset)
            uow.commit()
        minutes = int(password_resets.RESET_VALID_FOR.total_seconds() // 60)
        self.notifier.send(
            user.email,
            "Reset your ITManagerJobs password",
            "Someone (we hope you) asked to reset the password of your ITManagerJobs "
            f"employer account. Choose a new one here within {minutes} minutes:\n\n"
            f"{link(issued.token)}\n\nThe link works once. If you did not ask, ignore this "
            "email: your password stays as it is.",
        )

    def reset_password(self, token: str, password: str) -> Principal:
        """Set the password of whoever the link was issued to; the link is then used up.
        A password that breaks the rules leaves the link usable."""
        check_new_password(password)
        password_hash = self.hasher.hash(password)
        with self.uow() as uow:
            reset = uow.password_resets.consume(
                password_resets.hash_token(token), self.clock.now()
            )
            if reset is None:
                raise InvalidInput(INVALID_LINK, field="token")
            holders = uow.users if reset.holder_kind is HolderKind.USER else uow.staff
            holders.set_password_hash(reset.holder_id, password_hash)
            uow.commit()
        return Principal(_KINDS[reset.holder_kind], reset.holder_id)

    def set_password(self, principal: Principal, password: str) -> None:
        """Set a password directly: for seeding demo accounts, not for people, who go
        through a link sent to their email."""
        check_new_password(password)
        password_hash = self.hasher.hash(password)
        with self.uow() as uow:
            if principal.kind is PrincipalKind.USER:
                if uow.users.get(principal.id) is None:
                    raise NotFound(f"user {principal.id} not found")
                uow.users.set_password_hash(principal.id, password_hash)
            else:
                if uow.staff.get(principal.id) is None:
                    raise NotFound(f"staff member {principal.id} not found")
                uow.staff.set_password_hash(principal.id, password_hash)
            uow.commit()

    def credential(self, principal: Principal) -> str | None:
        """The fingerprint of the principal's password as stored now (None without one)."""
        with self.uow(read_only=True) as uow:
            holders = uow.users if principal.kind is PrincipalKind.USER else uow.staff
            stored = holders.password_hash(principal.id)
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
                HolderKind.STAFF, member.id, now, password_resets.STAFF_SETUP_VALID_FOR
            )
            uow.password_resets.add(issued.reset)
            uow.commit()
        return member, issued.token

    def _limit(self, kind: str, email: str, address: str) -> None:
        if self.limiter is None:
            return
        for policy, subject in ((SIGN_IN_PER_ADDRESS, address),
                                (SIGN_IN_PER_ACCOUNT, f"{kind}:{same_email(email)}")):
            decision = self.limiter.hit(policy, subject)
            if not decision.allowed:
                raise TooManyAttempts(decision.retry_after_seconds)

    def _matches(self, stored: str | None, password: str) -> bool:
        if stored is None:
            # As long as a real check, so that a missing account cannot be told by timing.
            self.hasher.hash(password)
            return False
        return self.hasher.verify(stored, password)




@contextmanager
def _as_field(field: str, label: str) -> Iterator[None]:
    """Sign-up names two things: a broken name rule says which one."""
    try:
        yield
    except InvalidInput as error:
        if error.field != "name":
            raise
        raise InvalidInput(error.message.replace("name", label, 1), field=field) from None
