"""An employer's team: invitations to join it, and the rule that it keeps an EmployerAdmin.

An invitation is a single-use link that expires. The link carries a random token; only its
SHA-256 is stored (like API keys, the token is high-entropy, so a slow hash buys nothing).
Accepting consumes the invitation, so the same link never makes a second account. An admin
may withdraw an open invitation, after which its link is refused; sending it again withdraws
it and issues a new one with a new token, so only the latest link works.
"""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from itmj_domain import accounts
from itmj_domain.accounts import Role, User
from itmj_domain.errors import InvalidState

TOKEN_PREFIX = "inv_"
LIFETIME = timedelta(days=7)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@attrs.frozen
class Invitation:
    id: int
    employer_id: int
    email: str
    role: Role
    token_hash: str = attrs.field(repr=False)
    invited_by: int | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    withdrawn_at: datetime | None = None

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and now < self.expires_at

    def accept(self, now: datetime) -> "Invitation":
        self._check_unsettled()
        if now >= self.expires_at:
            raise InvalidState("this invitation has expired: ask for a new one")
        return attrs.evolve(self, accepted_at=now)

    def withdraw(self, now: datetime) -> "Invitation":
        """Its link stops working. An expired invitation may be withdrawn too (to send it
        again); a used or withdrawn one is settled."""
        self._check_unsettled()
        return attrs.evolve(self, withdrawn_at=now)

    def _check_unsettled(self) -> None:
        if self.accepted_at is not None:
            raise InvalidState("this invitation has already been used")
        if self.withdrawn_at is not None:
            raise InvalidState("this invitation was withdrawn: ask for a new one")


@attrs.frozen
class IssuedInvitation:
    """A new invitation with its token, which only the emailed link carries."""

    invitation: Invitation
    token: str = attrs.field(repr=False)


def issue(invitation_id: int, employer_id: int, email: str, role: Role,
          invited_by: int | None, now: datetime) -> IssuedInvitation:
    accounts.check_email(email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    invitation = Invitation(
        invitation_id, employer_id, email, role, token_hash(token), invited_by, now,
        now + LIFETIME,
    )
    return IssuedInvitation(invitation, token)


def check_an_admin_remains(admins: Sequence[User], user: User, new_role: Role | None) -> None:
    """Refuse a change that would leave the employer without an EmployerAdmin: demoting
    (``new_role`` Recruiter) or removing (``new_role`` None) the last one."""
    if not user.is_admin or new_role is Role.EMPLOYER_ADMIN:
        return
    if not any(admin.id != user.id for admin in admins):
        raise InvalidState("the last EmployerAdmin cannot be removed or made a Recruiter")
