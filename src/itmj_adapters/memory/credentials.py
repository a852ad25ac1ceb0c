"""In-memory passwords and password-reset links, of users and staff alike."""

from datetime import datetime

import attrs

from itmj_adapters.memory.store import Transaction
from itmj_domain.password_resets import PasswordReset
from itmj_domain.principals import Principal

PASSWORDS = "passwords"


class MemoryCredentials:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def password_hash(self, principal: Principal) -> str | None:
        return self._tx.table(PASSWORDS).get(principal)

    def set_password_hash(self, principal: Principal, password_hash: str) -> None:
        self._tx.put(PASSWORDS, principal, password_hash)


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
            self.void_all(reset.holder, now)
        return reset

    def void_all(self, holder: Principal, now: datetime) -> None:
        for token_hash, stored in list(self._tx.table("password_resets").items()):
            if stored.reset.holder == holder and not stored.used:
                self._tx.put("password_resets", token_hash, attrs.evolve(stored, used=True))
