"""The default password hasher: Argon2id, loaded when a password is first hashed or checked.

argon2-cffi comes with the ``[http]`` extra (the portal is what has passwords), so services
built without it still work, and only a password operation says what is missing.
"""

import threading

from itmj_adapters.extras import requires
from itmj_domain.passwords import PasswordHasher


class DefaultPasswordHasher:
    def __init__(self) -> None:
        self._hasher: PasswordHasher | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> PasswordHasher:
        with self._lock:
            if self._hasher is None:
                with requires("http"):
                    from itmj_adapters.argon2_hasher import Argon2PasswordHasher
                self._hasher = Argon2PasswordHasher()
            return self._hasher

    def hash(self, password: str) -> str:
        return self._loaded().hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        return self._loaded().verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._loaded().needs_rehash(password_hash)
