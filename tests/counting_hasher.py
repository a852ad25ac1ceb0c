"""A password hasher that counts its work, for tests that prove a request hashed nothing."""

from itmj_adapters.argon2_hasher import Argon2PasswordHasher


class CountingHasher:
    """Argon2id at its cheapest, counting the hashes it computes."""

    def __init__(self) -> None:
        self._inner = Argon2PasswordHasher.cheap()
        self.hashes = 0

    def hash(self, password: str) -> str:
        self.hashes += 1
        return self._inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        return self._inner.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._inner.needs_rehash(password_hash)
