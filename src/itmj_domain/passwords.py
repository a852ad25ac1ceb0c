"""Passwords of the people who sign in to the portal and the console.

The domain decides what an acceptable password is and when one is checked; how it is hashed
(Argon2id) is an adapter's business behind the ``PasswordHasher`` port.
"""

import hashlib
from typing import Protocol

from itmj_domain.errors import InvalidInput

MIN_PASSWORD_LENGTH = 10
# Long enough for any passphrase or manager-generated password, short enough that hashing a
# hostile megabyte is not a way to burn our CPU.
MAX_PASSWORD_LENGTH = 256


def check_new_password(password: str) -> None:
    """Length is the rule (NIST SP 800-63B): no composition rules, which only make people
    write passwords down."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must be at most {MAX_PASSWORD_LENGTH} characters", field="password"
        )
    if not password.strip():
        raise InvalidInput("password must not be blank", field="password")


def fingerprint(password_hash: str) -> str:
    """A short digest of a stored hash, which changes whenever the password does: sessions
    remember the one they signed in with, so a new password ends every older session."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str:
        """A self-describing hash (algorithm, parameters and salt included)."""
        ...

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` matches; False for a wrong password or a malformed hash."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with weaker parameters than the current ones."""
        ...
