"""A webhook subscription's signing secrets as the stores keep them: sealed under the key
ring, bound to the subscription's id and to the column (the current secret, or the previous
one that signs during a rotation's overlap).

Without a ring (PostgreSQL without ``ITMJ_SECRET_KEYS``) every secret read or written is
refused, so the API, the portal, the workers and the command all refuse alike, and only
what touches a secret. A secret stored before secrets were sealed (no token prefix) still
reads until ``itmj secrets reencrypt`` seals it.
"""

from itmj_adapters.secret_box import KeyRing, SecretKeysMissing, is_sealed
from itmj_domain.webhooks.subscriptions import Subscription

SECRET = "secret"
# The secret a rotation replaced, which signs beside the new one for a day.
PREVIOUS_SECRET = "previous_secret"


def context(subscription_id: int, column: str = SECRET) -> str:
    """The associated data of a subscription's sealed secret (stored with every token, so
    never to change): its row and column, so a token opens in neither another row nor the
    other column."""
    return f"webhook_subscriptions.{column}:{subscription_id}"


def sealed(ring: KeyRing | None, subscription_id: int, secret: str, column: str = SECRET) -> str:
    return _required(ring).seal(secret, context(subscription_id, column))


def revealed(
    ring: KeyRing | None, subscription_id: int, stored: str, column: str = SECRET
) -> str:
    ring = _required(ring)
    if not is_sealed(stored):
        return stored
    return ring.open(stored, context(subscription_id, column))


def sealed_previous(ring: KeyRing | None, subscription: Subscription) -> str | None:
    if subscription.previous_secret is None:
        return None
    return sealed(ring, subscription.id, subscription.previous_secret, PREVIOUS_SECRET)


def revealed_previous(
    ring: KeyRing | None, subscription_id: int, stored: str | None
) -> str | None:
    return None if stored is None else revealed(ring, subscription_id, stored, PREVIOUS_SECRET)


def _required(ring: KeyRing | None) -> KeyRing:
    if ring is None:
        raise SecretKeysMissing()
    return ring
