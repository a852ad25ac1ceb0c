"""Secrets sealed at rest with AES-256-GCM under a ring of keys (``ITMJ_SECRET_KEYS``).

The ring lists its keys newest first. The newest seals; every key of the ring opens what it
sealed, so a new key can join the ring before an old one leaves it and no stored secret is
ever unreadable while keys rotate. A sealed secret is a token that names its key,

    aesgcm1.<key id>.<base64url(nonce | ciphertext | tag)>

where the key id is the start of the key's SHA-256: opening finds its key without trying
each, and a token whose key has left the ring is refused naming the variable. Each seal
draws a fresh 96-bit nonce. The caller's ``context`` is the associated data: a token opens
only for the context it was sealed for (its row), so it cannot be moved to another row.
"""

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VARIABLE = "ITMJ_SECRET_KEYS"
KEY_BYTES = 32
_NONCE_BYTES = 12
_SCHEME = "aesgcm1"
_KEY_ID_BYTES = 6
# 32 bytes are 43 base64 characters and one '=' of padding, which may be left off.
_KEY_TEXT = re.compile(r"[A-Za-z0-9_-]{43}=?")


class SecretKeyError(Exception):
    """The configured keys cannot do what was asked; only changing ``ITMJ_SECRET_KEYS``
    helps, so every message names it."""


class SecretKeysMissing(SecretKeyError):
    def __init__(self) -> None:
        super().__init__(
            f"{VARIABLE} is not set: webhook secrets on PostgreSQL are encrypted at rest; "
            "make a key with 'itmj secrets new-key'"
        )


class UnreadableSecret(Exception):
    """A token that does not open: altered, truncated, or copied from another row."""


def new_key() -> str:
    """A fresh key, as ``ITMJ_SECRET_KEYS`` lists it."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse_keys(text: str) -> tuple[bytes, ...]:
    """``ITMJ_SECRET_KEYS``: comma-separated keys, newest first. A malformed key is named by
    its position, never quoted: it is a secret."""
    keys = []
    for position, part in enumerate(text.split(","), start=1):
        item = part.strip()
        if not _KEY_TEXT.fullmatch(item):
            raise SecretKeyError(
                f"{VARIABLE}: key {position} is not {KEY_BYTES} bytes in URL-safe base64; "
                "make one with 'itmj secrets new-key'"
            )
        keys.append(base64.urlsafe_b64decode(item.rstrip("=") + "="))
    return tuple(keys)


def key_id(key: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(key).digest()[:_KEY_ID_BYTES]).decode()


def token_prefix(of_key_id: str) -> str:
    """What every token sealed under that key starts with."""
    return f"{_SCHEME}.{of_key_id}."


def is_sealed(stored: str) -> bool:
    return stored.startswith(f"{_SCHEME}.")


class KeyRing:
    """The keys of ``ITMJ_SECRET_KEYS``, newest first; never shows them (not in a repr)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys or any(len(key) != KEY_BYTES for key in keys):
            raise ValueError(f"a key ring needs at least one key, each of {KEY_BYTES} bytes")
        self.newest_key_id = key_id(keys[0])
        self._sealing = AESGCM(keys[0])
        # Oldest first, so that the newer of two keys with one id (never seen) wins.
        self._opening = {key_id(key): AESGCM(key) for key in reversed(keys)}

    @classmethod
    def ephemeral(cls) -> "KeyRing":
        """A key for this process alone: what it seals is lost with the process."""
        return cls([os.urandom(KEY_BYTES)])

    def __repr__(self) -> str:
        return f"KeyRing(newest_key_id={self.newest_key_id!r}, keys={len(self._opening)})"

    def seal(self, secret: str, context: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._sealing.encrypt(nonce, secret.encode(), context.encode())
        encoded = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return token_prefix(self.newest_key_id) + encoded

    def open(self, token: str, context: str) -> str:
        scheme, _, rest = token.partition(".")
        token_key_id, _, encoded = rest.partition(".")
        if scheme != _SCHEME or not encoded:
            raise UnreadableSecret(f"{context}: not a sealed secret")
        cipher = self._opening.get(token_key_id)
        if cipher is None:
            raise SecretKeyError(
                f"{context} is encrypted under key {token_key_id}, which {VARIABLE} does not "
                "hold: add that key back to the ring"
            )
        try:
            sealed = base64.urlsafe_b64decode(encoded.encode("ascii"))
            opened = cipher.decrypt(
                sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], context.encode()
            )
        except (InvalidTag, ValueError, binascii.Error):
            raise UnreadableSecret(
                f"{context} does not open: altered, or copied from another row"
            ) from None
        return opened.decode()
