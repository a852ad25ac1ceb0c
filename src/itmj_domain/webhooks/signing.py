"""The signatures partners verify (SPEC §7, §10, §11).

Two schemes sign every delivery with the same ``whsec_…`` secret:

- the legacy header, ``X-Webhook-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret,
  "{t}.{raw body}")}``, with the whole ``whsec_…`` string as the HMAC key. ``verify`` is the
  receiver's side, written exactly as SPEC §10 tells partners to, so tests can hold deliveries
  to that standard;
- Standard Webhooks: ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature: v1,{base64
  HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")}``, where the key is what follows
  ``whsec_`` base64-decoded, as the official libraries derive it. During a rotation's overlap
  the header holds one signature per secret, separated by spaces.

Secrets are 32 random bytes in standard base64, which both schemes read. Secrets issued
before Standard Webhooks support are URL-safe base64 without padding: not standard base64, so
the official libraries cannot all read them alike, and only the legacy header carries them.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Sequence

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
TOLERANCE_SECONDS = 300
STANDARD_VERSION = "v1"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: int) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
        received = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    # Bytes: compare_digest refuses str with characters outside ASCII, which a header may hold.
    return hmac.compare_digest(received.encode(), signature(secret, timestamp, body).encode())


def standard_key(secret: str) -> bytes | None:
    """The HMAC key Standard Webhooks libraries take from ``secret``, or None when the secret
    is not ``whsec_`` and strict standard base64 (one issued before they were supported)."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except binascii.Error:
        return None
    return key or None


def is_standard(secret: str) -> bool:
    """Whether the official Standard Webhooks libraries can verify with this secret."""
    return standard_key(secret) is not None


def standard_signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return f"{STANDARD_VERSION},{base64.b64encode(mac.digest()).decode('ascii')}"


def standard_headers(
    signing_secrets: Sequence[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The ``webhook-*`` headers, signed by each of ``signing_secrets`` that the standard
    reads (newest first); none at all when no secret does."""
    keys = [key for secret in signing_secrets if (key := standard_key(secret)) is not None]
    if not keys:
        return {}
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            standard_signature(key, message_id, timestamp, body) for key in keys
        ),
    }
