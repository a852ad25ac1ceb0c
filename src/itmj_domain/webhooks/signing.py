"""The signature partners verify (SPEC §7, §10).

``X-Webhook-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{raw body}")}``, with
the whole ``whsec_…`` string as the HMAC key. ``verify`` is the receiver's side, written
exactly as SPEC §10 tells partners to, so tests can hold deliveries to that standard.
"""

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


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
