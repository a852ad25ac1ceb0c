"""An employer's team: its members and their roles, and invitations to join it.

Every change is made by an EmployerAdmin of the same employer (``by``), and none may leave
the employer without an EmployerAdmin: the admins are counted while held, so two admins
demoting each other at once cannot both succeed.
"""

from collections.abc import Callable, Sequence

import attrs

from itmj_domain import team
from itmj_domain.accounts import Employer, Role, User
from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidInput, InvalidState, NotFound
from itmj_domain.passwords import PasswordHasher, check_new_password
from itmj_domain.ports import Notifier, UnitOfWork, UnitOfWorkFactory
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.team import Invitation


@attrs.frozen
class OpenInvitation:
    """An invitation still to be accepted, with the employer it is for."""

    invitation: Invitation
    employer: Employer


@attrs.frozen
class Team:
    uow: UnitOfWorkFactory
    clock: Clock
    notifier: Notifier
    hasher: PasswordHasher

    def members(self, employer_id: int) -> Sequence[User]:
        with self.uow(read_only=True) as uow:
            return uow.users.list_for_employer(employer_id)

    def open_invitations(self, employer_id: int) -> Sequence[Invitation]:
        with self.uow(read_only=True) as uow:
            return uow.invitations.open_for_employer(employer_id, self.clock.now())

    def invite(self, employer_id: int, email: str, role: Role, by: int,
               link: Callable[[str], str]) -> Invitation:
        """Email ``email`` a single-use link, ``link(token)``, to join as ``role``."""
        now = self.clock.now()
        email = email.strip()
        with self.uow() as uow:
            employer = _acting_admin(uow, employer_id, by)
            issued = team.issue(uow.invitations.next_id(), employer_id, email, role, by, now)
            if uow.users.find_by_email(email) is not None:
                raise InvalidState(f"{email} already has an account")
            uow.invitations.add(issued.invitation)
            uow.commit()
        self._send(employer, issued, link)
        return issued.invitation

    def resend(self, employer_id: int, invitation_id: int, by: int,
               link: Callable[[str], str]) -> Invitation:
        """Withdraw the invitation and email a new one (a new token, seven days from now) to
        the same address for the same role: only the new link works. Held while it is
        replaced, so two resends at once send one email, and neither races an acceptance."""
        now = self.clock.now()
        with self.uow() as uow:
            employer = _acting_admin(uow, employer_id, by)
            old = _invitation(uow, employer_id, invitation_id)
            withdrawn = old.withdraw(now)
            if uow.users.find_by_email(old.email) is not None:
                raise InvalidState(f"{old.email} already has an account")
            issued = team.issue(uow.invitations.next_id(), employer_id, old.email, old.role,
                                by, now)
            uow.invitations.save(withdrawn)
            uow.invitations.add(issued.invitation)
            uow.commit()
        self._send(employer, issued, link)
        return issued.invitation

    def withdraw(self, employer_id: int, invitation_id: int, by: int) -> Invitation:
        """The invitation's link stops working at once."""
        now = self.clock.now()
        with self.uow() as uow:
            _acting_admin(uow, employer_id, by)
            withdrawn = _invitation(uow, employer_id, invitation_id).withdraw(now)
            uow.invitations.save(withdrawn)
            uow.commit()
        return withdrawn

    def _send(self, employer: Employer, issued: team.IssuedInvitation,
              link: Callable[[str], str]) -> None:
        invitation = issued.invitation
        self.notifier.send(
            invitation.email,
            f"You are invited to join {employer.name} on ITManagerJobs",
            f"You are invited to join {employer.name} as {invitation.role.value}. Open this "
            f"link to set your password: {link(issued.token)}\n\nIt works once, until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC.",
        )

    def invitation(self, token: str) -> OpenInvitation:
        """The invitation behind a link, if it can still be accepted."""
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            invitation = uow.invitations.find_by_token_hash(team.token_hash(token))
            if invitation is None:
                raise NotFound("this invitation link is not valid")
            invitation.accept(now)  # raises if it is used or expired; nothing is stored
            employer = uow.employers.get(invitation.employer_id)
            assert employer is not None
            return OpenInvitation(invitation, employer)

    def accept(self, token: str, name: str, password: str) -> User:
        """Consume the invitation and create the member it invited, with the name and the
        password they chose. The password is hashed only for a link that can be accepted."""
        name = name.strip()
        if not name:
            raise InvalidInput("your name must not be blank", field="name")
        check_new_password(password)
        self.invitation(token)  # raises, hashing nothing, for a link that cannot be accepted
        password_hash = self.hasher.hash(password)
        now = self.clock.now()
        with self.uow() as uow:
            invitation = uow.invitations.find_by_token_hash(
                team.token_hash(token), for_update=True
            )
            # Found a moment ago, and invitations are never deleted; one accepted or
            # withdrawn since is refused below.
            assert invitation is not None
            accepted = invitation.accept(now)
            if uow.users.find_by_email(invitation.email) is not None:
                raise InvalidState(f"{invitation.email} already has an account")
            user = User(
                uow.users.next_id(), invitation.employer_id, invitation.email, invitation.role,
                now, name=name,
            )
            uow.users.add(user)
            uow.credentials.set_password_hash(Principal(PrincipalKind.USER, user.id),
                                              password_hash)
            uow.invitations.save(accepted)
            uow.commit()
        return user

    def change_role(self, employer_id: int, user_id: int, role: Role, by: int) -> User:
        with self.uow() as uow:
            admins = _held_admins(uow, employer_id, by)
            member = _member(uow, employer_id, user_id)
            team.check_an_admin_remains(admins, member, role)
            changed = attrs.evolve(member, role=role)
            uow.users.save(changed)
            uow.commit()
        return changed

    def remove(self, employer_id: int, user_id: int, by: int) -> None:
        with self.uow() as uow:
            admins = _held_admins(uow, employer_id, by)
            member = _member(uow, employer_id, user_id)
            team.check_an_admin_remains(admins, member, None)
            uow.users.remove(member.id)
            uow.commit()


def _acting_admin(uow: UnitOfWork, employer_id: int, user_id: int) -> Employer:
    employer = uow.employers.get(employer_id)
    if employer is None:
        raise NotFound(f"employer {employer_id} not found")
    user = uow.users.get(user_id)
    if user is None or user.employer_id != employer_id or not user.is_admin:
        raise InvalidInput("only an EmployerAdmin of this employer may manage its team",
                           field="by")
    return employer


def _held_admins(uow: UnitOfWork, employer_id: int, by: int) -> Sequence[User]:
    """The employer's admins, held until the unit of work ends; ``by`` must be one of them
    as committed now, not as read before a concurrent change demoted or removed them."""
    if uow.employers.get(employer_id) is None:
        raise NotFound(f"employer {employer_id} not found")
    admins = uow.users.admins_of(employer_id, for_update=True)
    if all(admin.id != by for admin in admins):
        raise InvalidInput("only an EmployerAdmin of this employer may manage its team",
                           field="by")
    return admins


def _invitation(uow: UnitOfWork, employer_id: int, invitation_id: int) -> Invitation:
    """Held until the unit of work ends; another employer's is not found, as a missing one."""
    invitation = uow.invitations.get(invitation_id, for_update=True)
    if invitation is None or invitation.employer_id != employer_id:
        raise NotFound(f"invitation {invitation_id} not found")
    return invitation


def _member(uow: UnitOfWork, employer_id: int, user_id: int) -> User:
    # Callers hold the admins first, so the role read here is the one committed by any
    # change to the team that went first.
    user = uow.users.get(user_id)
    if user is None or user.employer_id != employer_id:
        raise NotFound(f"user {user_id} not found")
    return user
