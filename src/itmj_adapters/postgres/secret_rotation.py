"""Re-encrypting every stored webhook secret (the current one, and the previous one of a
rotation) under the newest key of the ring: the step of a key rotation after which the older
keys can leave ``ITMJ_SECRET_KEYS``.

Secrets stored before they were sealed at all are sealed on the way. Rows are taken in id
order, a batch per transaction, locked as every writer of subscriptions locks them, so a
subscription changed meanwhile (a rotated secret, a recorded failure) is re-read in its latest
version or waited for, never overwritten with an older one. Rows already under the newest key
are neither locked nor written: running it again does nothing, and an interrupted run goes on
from where it stopped.
"""

from collections import Counter

import attrs
import psycopg

from itmj_adapters import subscription_secrets
from itmj_adapters.secret_box import KeyRing, is_sealed, token_prefix
from itmj_adapters.subscription_secrets import PREVIOUS_SECRET, SECRET

BATCH_SIZE = 500
_NOT_UNDER_NEWEST_KEY = """
SELECT id, secret, previous_secret FROM webhook_subscriptions
WHERE id > %s AND (
    NOT starts_with(secret, %s) OR NOT starts_with(coalesce(previous_secret, %s), %s)
)
ORDER BY id LIMIT %s
FOR UPDATE
"""
_WRITE = "UPDATE webhook_subscriptions SET secret = %s, previous_secret = %s WHERE id = %s"


@attrs.frozen
class Reencryption:
    key_id: str
    # Secrets (current or previous) that were under an older key of the ring.
    reencrypted: int
    # Secrets that were stored in the clear, before secrets were sealed.
    encrypted: int


def reencrypt_secrets(url: str, ring: KeyRing, batch_size: int = BATCH_SIZE) -> Reencryption:
    newest = token_prefix(ring.newest_key_id)
    counts: Counter[str] = Counter()
    after = 0
    with psycopg.connect(url) as connection:
        while True:
            with connection.transaction():
                found = connection.execute(
                    _NOT_UNDER_NEWEST_KEY, (after, newest, newest, newest, batch_size)
                ).fetchall()
                for subscription_id, stored, stored_previous in found:
                    secret = _resealed(ring, newest, subscription_id, stored, SECRET, counts)
                    previous = None if stored_previous is None else _resealed(
                        ring, newest, subscription_id, stored_previous, PREVIOUS_SECRET, counts
                    )
                    connection.execute(_WRITE, (secret, previous, subscription_id))
            # Not "fewer than a batch": a row sealed anew by another writer while this
            # waited for its lock drops out of a batch that more rows follow.
            if not found:
                return Reencryption(
                    ring.newest_key_id, counts["reencrypted"], counts["encrypted"]
                )
            after = found[-1][0]


def _resealed(
    ring: KeyRing, newest: str, subscription_id: int, stored: str, column: str,
    counts: Counter[str],
) -> str:
    """``stored`` under the newest key, counted as re-encrypted or newly encrypted (sealed
    or not before); left as it is when it is under the newest key already."""
    if stored.startswith(newest):
        return stored
    counts["reencrypted" if is_sealed(stored) else "encrypted"] += 1
    secret = subscription_secrets.revealed(ring, subscription_id, stored, column)
    return subscription_secrets.sealed(ring, subscription_id, secret, column)
