"""Re-encrypting every stored webhook secret under the newest key of the ring: the step of a
key rotation after which the older keys can leave ``ITMJ_SECRET_KEYS``.

Secrets stored before they were sealed at all are sealed on the way. Rows are taken in id
order, a batch per transaction, locked as every writer of subscriptions locks them, so a
subscription changed meanwhile (a rotated secret, a recorded failure) is re-read in its latest
version or waited for, never overwritten with an older one. Rows already under the newest key
are neither locked nor written: running it again does nothing, and an interrupted run goes on
from where it stopped.
"""

import attrs
import psycopg

from itmj_adapters import subscription_secrets
from itmj_adapters.secret_box import KeyRing, is_sealed, token_prefix

BATCH_SIZE = 500
_NOT_UNDER_NEWEST_KEY = """
SELECT id, secret FROM webhook_subscriptions
WHERE id > %s AND NOT starts_with(secret, %s)
ORDER BY id LIMIT %s
FOR UPDATE
"""
_WRITE = "UPDATE webhook_subscriptions SET secret = %s WHERE id = %s"


@attrs.frozen
class Reencryption:
    key_id: str
    # Secrets that were under an older key of the ring.
    reencrypted: int
    # Secrets that were stored in the clear, before secrets were sealed.
    encrypted: int


def reencrypt_secrets(url: str, ring: KeyRing, batch_size: int = BATCH_SIZE) -> Reencryption:
    newest = token_prefix(ring.newest_key_id)
    reencrypted = encrypted = 0
    after = 0
    with psycopg.connect(url) as connection:
        while True:
            with connection.transaction():
                found = connection.execute(
                    _NOT_UNDER_NEWEST_KEY, (after, newest, batch_size)
                ).fetchall()
                for subscription_id, stored in found:
                    secret = subscription_secrets.revealed(ring, subscription_id, stored)
                    sealed = subscription_secrets.sealed(ring, subscription_id, secret)
                    connection.execute(_WRITE, (sealed, subscription_id))
                    if is_sealed(stored):
                        reencrypted += 1
                    else:
                        encrypted += 1
            # Not "fewer than a batch": a row sealed anew by another writer while this
            # waited for its lock drops out of a batch that more rows follow.
            if not found:
                return Reencryption(ring.newest_key_id, reencrypted, encrypted)
            after = found[-1][0]
