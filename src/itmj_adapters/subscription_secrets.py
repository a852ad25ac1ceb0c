"""A webhook subscription's signing secret as the stores keep it: sealed under the key ring,
bound to the subscription's id.

Without a ring (PostgreSQL without ``ITMJ_SECRET_KEYS``) every secret read or written is
refused, so the API, the portal, the workers and the command all refuse alike, and only
what touches a secret. A secret stored before secrets were sealed (no token prefix) still
reads until ``itmj secrets reencrypt`` seals it.
"""

from itmj_adapters.secret_box import KeyRing, SecretKeysMissing, is_sealed


def context(subscription_id: int) -> str:
    """The associated data of a subscription's sealed secret (stored with every token, so
    never to change)."""
    return f"webhook_subscriptions.secret:{subscription_id}"


def sealed(ring: KeyRing | None, subscription_id: int, secret: str) -> str:
    return _required(ring).seal(secret, context(subscription_id))


def revealed(ring: KeyRing | None, subscription_id: int, stored: str) -> str:
    ring = _required(ring)
    if not is_sealed(stored):
        return stored
    return ring.open(stored, context(subscription_id))


def _required(ring: KeyRing | None) -> KeyRing:
    if ring is None:
        raise SecretKeysMissing()
    return ring
