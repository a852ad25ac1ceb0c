"""In-memory platform staff and password-reset links."""

from datetime import datetime

import attrs

from itmj_adapters.memory.store import Transaction
from itmj_domain.accounts import same_email
from itmj_domain.errors import InvalidInput
from itmj_domain.password_resets import HolderKind, PasswordReset
from itmj_domain.staff import StaffMember


class MemoryStaff:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("staff")

    def add(self, member: StaffMember) -> None:
        email = same_email(member.email)
        if email in self._tx.table("staff_emails"):
            raise InvalidInput("a staff member with this email already exists", field="email")
        self._tx.put("staff", member.id, member)
        self._tx.put("staff_emails", email, member.id)

    def get(self, staff_id: int) -> StaffMember | None:
        return self._tx.table("staff").get(staff_id)

    def find_by_email(self, email: str) -> StaffMember | None:
        staff_id = self._tx.table("staff_emails").get(same_email(email))
        return None if staff_id is None else self.get(staff_id)

    def password_hash(self, staff_id: int) -> str | None:
        return self._tx.table("staff_passwords").get(staff_id)

    def set_password_hash(self, staff_id: int, password_hash: str) -> None:
        self._tx.put("staff_passwords", staff_id, password_hash)


@attrs.frozen
class _StoredReset:
    reset: PasswordReset
    used: bool


class MemoryPasswordResets:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add(self, reset: PasswordReset) -> None:
        self._tx.put("password_resets", reset.token_hash, _StoredReset(reset, used=False))

    def find_open(self, token_hash: str, now: datetime) -> PasswordReset | None:
        stored = self._tx.table("password_resets").get(token_hash)
        if stored is None or stored.used or now >= stored.reset.expires_at:
            return None
        return stored.reset

    def consume(self, token_hash: str, now: datetime) -> PasswordReset | None:
        reset = self.find_open(token_hash, now)
        if reset is not None:
            self.void_all(reset.holder_kind, reset.holder_id, now)
        return reset

    def void_all(self, holder_kind: HolderKind, holder_id: int, now: datetime) -> None:
        for token_hash, stored in list(self._tx.table("password_resets").items()):
            reset = stored.reset
            if (reset.holder_kind, reset.holder_id) == (holder_kind, holder_id) and not stored.used:
                self._tx.put("password_resets", token_hash, attrs.evolve(stored, used=True))
