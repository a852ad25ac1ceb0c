"""Argon2id password hashes (argon2-cffi)."""

import argon2
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2PasswordHasher:
    """argon2-cffi's defaults are RFC 9106's second recommended profile (Argon2id, t=3,
    64 MiB, p=4); tests pass cheaper parameters, since the cost is the point in production
    and only a wait in a test."""

    def __init__(self, time_cost: int | None = None, memory_cost: int | None = None,
                 parallelism: int | None = None) -> None:
        defaults = argon2.PasswordHasher()
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost or defaults.time_cost,
            memory_cost=memory_cost or defaults.memory_cost,
            parallelism=parallelism or defaults.parallelism,
            type=argon2.Type.ID,
        )

    @classmethod
    def cheap(cls) -> "Argon2PasswordHasher":
        """The weakest Argon2id parameters, for tests: still the real algorithm."""
        return cls(time_cost=1, memory_cost=8, parallelism=1)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
