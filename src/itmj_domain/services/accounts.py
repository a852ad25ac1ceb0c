"""Employers, their users and their API keys."""

from collections.abc import Callable, Sequence
from datetime import datetime

import attrs

from itmj_domain import api_keys
from itmj_domain.accounts import Employer, Role, User
from itmj_domain.api_keys import ApiKey, MintedKey, Scope
from itmj_domain.clock import Clock
from itmj_domain.errors import InvalidInput, NotFound
from itmj_domain.ports import Notifier, UnitOfWork, UnitOfWorkFactory
from itmj_domain.services.credits import employer_balance

# The review queue shows this many at a time; staff clear it oldest first.
PENDING_PAGE = 200


@attrs.frozen
class PendingKey:
    key: ApiKey
    employer: Employer
    created_by: str | None


@attrs.frozen
class Accounts:
    uow: UnitOfWorkFactory
    clock: Clock
    notifier: Notifier

    def create_employer(self, name: str, trusted_partner: bool = False) -> Employer:
        with self.uow() as uow:
            employer = Employer(uow.employers.next_id(), name, trusted_partner, self.clock.now())
            uow.employers.add(employer)
            uow.commit()
        return employer

    def add_user(self, employer_id: int, email: str, role: Role, name: str | None = None
                 ) -> User:
        with self.uow() as uow:
            _employer(uow, employer_id)
            user = User(uow.users.next_id(), employer_id, email, role, self.clock.now(), name)
            require_free_email(uow, user.email)
            uow.users.add(user)
            uow.commit()
        return user

    def mint_key(
        self,
        employer_id: int,
        name: str,
        scopes: frozenset[Scope],
        created_by: int | None = None,
        expires_at: datetime | None = None,
    ) -> MintedKey:
        """Mint a key for an employer; ``created_by`` is the EmployerAdmin asking, or None
        when platform staff mint it on the employer's behalf."""
        now = self.clock.now()
        with self.uow() as uow:
            employer = _employer(uow, employer_id)
            if created_by is not None:
                user = uow.users.get(created_by)
                if user is None or user.employer_id != employer_id or not user.is_admin:
                    raise InvalidInput(
                        "only an EmployerAdmin of this employer may mint keys", field="created_by"
                    )
            status = api_keys.initial_status(
                scopes, employer.trusted_partner, employer_balance(uow, employer_id, now).has_any
            )
            minted = api_keys.mint(
                uow.api_keys.next_id(), employer_id, name, scopes, created_by, now, status,
                expires_at,
            )
            uow.api_keys.add(minted.key)
            uow.commit()
        return minted

    def approve_key(self, key_id: int) -> ApiKey:
        with self.uow() as uow:
            key = _key(uow, key_id).approve(self.clock.now())
            uow.api_keys.save(key)
            recipients = _approval_recipients(uow, key)
            uow.commit()
        for address in recipients:
            self.notifier.send(
                address,
                f"Your API key \u201c{key.name}\u201d is approved",
                f"The API key {key.display_prefix}\u2026 ({key.name}) was approved and can be "
                "used from now on.",
            )
        return key

    def reject_key(self, key_id: int) -> ApiKey:
        return self._change_key(key_id, ApiKey.reject)

    def revoke_key(self, key_id: int) -> ApiKey:
        return self._change_key(key_id, ApiKey.revoke)

    def revoke_employer_key(self, employer_id: int, key_id: int, by: int) -> ApiKey:
        """Revoke one of the employer's keys at the request of ``by``, one of its
        EmployerAdmins; another employer's key is not found, exactly like a missing one."""
        with self.uow() as uow:
            admin = uow.users.get(by)
            if admin is None or admin.employer_id != employer_id or not admin.is_admin:
                raise InvalidInput("only an EmployerAdmin of this employer may revoke keys",
                                   field="by")
            key = _employer_key(uow, employer_id, key_id).revoke()
            uow.api_keys.save(key)
            uow.commit()
        return key

    def employer_key(self, employer_id: int, key_id: int) -> ApiKey:
        with self.uow(read_only=True) as uow:
            return _employer_key(uow, employer_id, key_id)

    def pending_keys(self, limit: int = PENDING_PAGE) -> Sequence[PendingKey]:
        """The keys waiting for review, oldest first, with whom they are for and from."""
        with self.uow(read_only=True) as uow:
            keys = uow.api_keys.pending(limit)
            employers = {i: _employer(uow, i) for i in {key.employer_id for key in keys}}
            creator_ids = {key.created_by for key in keys if key.created_by is not None}
            emails = {i: user.email for i in creator_ids if (user := uow.users.get(i)) is not None}
        return [
            PendingKey(
                key, employers[key.employer_id],
                None if key.created_by is None else emails.get(key.created_by),
            )
            for key in keys
        ]

    def list_keys(self, employer_id: int) -> Sequence[ApiKey]:
        with self.uow(read_only=True) as uow:
            _employer(uow, employer_id)
            return uow.api_keys.list_for_employer(employer_id)

    def get_employer(self, employer_id: int) -> Employer:
        with self.uow(read_only=True) as uow:
            return _employer(uow, employer_id)

    def _change_key(self, key_id: int, change: Callable[[ApiKey], ApiKey]) -> ApiKey:
        with self.uow() as uow:
            key = change(_key(uow, key_id))
            uow.api_keys.save(key)
            uow.commit()
        return key


def _employer(uow: UnitOfWork, employer_id: int) -> Employer:
    employer = uow.employers.get(employer_id)
    if employer is None:
        raise NotFound(f"employer {employer_id} not found")
    return employer


def require_free_email(uow: UnitOfWork, email: str) -> None:
    """One email, one account: the portal signs people in by their email."""
    if uow.users.find_by_email(email) is not None:
        raise InvalidInput("an account with this email already exists", field="email")


def _employer_key(uow: UnitOfWork, employer_id: int, key_id: int) -> ApiKey:
    key = uow.api_keys.get(key_id)
    if key is None or key.employer_id != employer_id:
        raise NotFound(f"key {key_id} not found")
    return key


def _key(uow: UnitOfWork, key_id: int) -> ApiKey:
    key = uow.api_keys.get(key_id)
    if key is None:
        raise NotFound(f"key {key_id} not found")
    return key


def _approval_recipients(uow: UnitOfWork, key: ApiKey) -> list[str]:
    """The admin who minted the key; every admin of the employer when staff minted it."""
    if key.created_by is not None:
        creator = uow.users.get(key.created_by)
        if creator is not None:
            return [creator.email]
    return [admin.email for admin in uow.users.admins_of(key.employer_id)]
