"""API keys: minting, the approval policy of SPEC §3, and who a key lets in.

Only the SHA-256 of a key is kept: keys carry ≥190 bits of entropy, so a slow password hash
would add latency to every request and no security.
"""

import enum
import hashlib
import re
import secrets
import string
from datetime import datetime

import attrs

from itmj_domain.errors import InvalidInput, InvalidState

KEY_PREFIX = "pk_live_"
SECRET_LENGTH = 43  # 43 base62 characters: 256 bits
DISPLAY_PREFIX_LENGTH = len(KEY_PREFIX) + 6
BASE62 = string.digits + string.ascii_letters
MAX_KEY_NAME_LENGTH = 100
# Every request with a credential asks this before anything else, so it is one regex match.
_PLAUSIBLE_KEY = re.compile(re.escape(KEY_PREFIX) + "[0-9A-Za-z]{32,128}")


class Scope(enum.Enum):
    JOB_POSTING = "JobPosting"
    CV_SEARCH = "CvSearch"
    WEBHOOKS = "Webhooks"


class KeyStatus(enum.Enum):
    ACTIVE = "Active"
    PENDING_APPROVAL = "PendingApproval"
    REJECTED = "Rejected"
    REVOKED = "Revoked"


def new_plaintext() -> str:
    return KEY_PREFIX + "".join(secrets.choice(BASE62) for _ in range(SECRET_LENGTH))


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def looks_like_key(candidate: str) -> bool:
    """Whether a presented credential is worth a lookup at all."""
    return _PLAUSIBLE_KEY.fullmatch(candidate) is not None


# The scopes that reach nothing but the employer's own jobs and the events about them. A
# Webhooks key manages where those events go and reads their delivery log: no more than a
# JobPosting key sees, so it is approved by the same rule.
SELF_SERVICE_SCOPES = frozenset({Scope.JOB_POSTING, Scope.WEBHOOKS})


def initial_status(
    scopes: frozenset[Scope], trusted_partner: bool, employer_has_credit: bool
) -> KeyStatus:
    """SPEC §3: trusted partners are approved at once; otherwise a key of JobPosting and
    Webhooks scopes only, of an employer with a contract or credits, is; everything else
    (any key with CvSearch) waits for platform staff."""
    if trusted_partner:
        return KeyStatus.ACTIVE
    if scopes <= SELF_SERVICE_SCOPES and employer_has_credit:
        return KeyStatus.ACTIVE
    return KeyStatus.PENDING_APPROVAL


def _validate_name(_instance: object, _attribute: "attrs.Attribute[str]", value: str) -> None:
    if not value.strip() or len(value) > MAX_KEY_NAME_LENGTH:
        raise InvalidInput(
            f"name must be 1 to {MAX_KEY_NAME_LENGTH} characters", field="name"
        )


def _validate_scopes(
    _instance: object, _attribute: "attrs.Attribute[frozenset[Scope]]", value: frozenset[Scope]
) -> None:
    if not value:
        raise InvalidInput("a key needs at least one scope", field="scopes")


@attrs.frozen
class ApiKey:
    id: int
    employer_id: int
    name: str = attrs.field(validator=_validate_name)
    scopes: frozenset[Scope] = attrs.field(validator=_validate_scopes)
    key_hash: str
    display_prefix: str
    status: KeyStatus
    created_by: int | None
    created_at: datetime
    expires_at: datetime | None = None
    approved_at: datetime | None = None
    last_used_at: datetime | None = None

    def __attrs_post_init__(self) -> None:
        if self.expires_at is not None and self.expires_at <= self.created_at:
            raise InvalidInput("expiry must be in the future", field="expires_at")

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def authenticates(self, now: datetime) -> bool:
        return self.status is KeyStatus.ACTIVE and not self.is_expired(now)

    def awaits_approval(self, now: datetime) -> bool:
        """Pending and not yet expired: a key that approval alone would let in."""
        return self.status is KeyStatus.PENDING_APPROVAL and not self.is_expired(now)

    def allows(self, scope: Scope) -> bool:
        return scope in self.scopes

    def approve(self, now: datetime) -> "ApiKey":
        if self.status is not KeyStatus.PENDING_APPROVAL:
            raise InvalidState(f"only a pending key can be approved (key is {self.status.value})")
        return attrs.evolve(self, status=KeyStatus.ACTIVE, approved_at=now)

    def reject(self) -> "ApiKey":
        if self.status is not KeyStatus.PENDING_APPROVAL:
            raise InvalidState(f"only a pending key can be rejected (key is {self.status.value})")
        return attrs.evolve(self, status=KeyStatus.REJECTED)

    def revoke(self) -> "ApiKey":
        """Revoking twice is harmless; a key once revoked never comes back."""
        return attrs.evolve(self, status=KeyStatus.REVOKED)


@attrs.frozen
class MintedKey:
    """A new key together with its plaintext, which exists only in this value."""

    key: ApiKey
    plaintext: str


def mint(
    key_id: int,
    employer_id: int,
    name: str,
    scopes: frozenset[Scope],
    created_by: int | None,
    now: datetime,
    status: KeyStatus,
    expires_at: datetime | None = None,
) -> MintedKey:
    plaintext = new_plaintext()
    key = ApiKey(
        id=key_id,
        employer_id=employer_id,
        name=name,
        scopes=scopes,
        key_hash=hash_key(plaintext),
        display_prefix=plaintext[:DISPLAY_PREFIX_LENGTH],
        status=status,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
        approved_at=now if status is KeyStatus.ACTIVE else None,
    )
    return MintedKey(key, plaintext)


LAST_USED_RESOLUTION_SECONDS = 1.0


def last_used_is_stale(key: ApiKey, now: datetime) -> bool:
    """SPEC §3 lets lastUsedAt be coalesced to about once a second per key: a request only
    writes it when the stored value is at least that old."""
    if key.last_used_at is None:
        return True
    return (now - key.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
