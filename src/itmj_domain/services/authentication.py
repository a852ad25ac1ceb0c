"""Who is calling: a presented key resolves to an active key or to nobody."""

import attrs

from itmj_domain import api_keys
from itmj_domain.api_keys import ApiKey
from itmj_domain.clock import Clock
from itmj_domain.ports import KeyUseLog, UnitOfWorkFactory


@attrs.frozen
class Authenticator:
    uow: UnitOfWorkFactory
    clock: Clock
    key_uses: KeyUseLog

    def authenticate(self, presented: str) -> ApiKey | None:
        """The key, if it exists and may be used now; None for every other case alike, so
        callers cannot tell unknown, revoked, expired, pending and rejected keys apart.

        Nothing is cached: a revocation must hold on the very next request of every process.
        """
        if not api_keys.looks_like_key(presented):
            return None
        with self.uow(read_only=True) as uow:
            key = uow.api_keys.find_by_hash(api_keys.hash_key(presented))
        if key is None or not key.authenticates(self.clock.now()):
            return None
        return key

    def record_use(self, key: ApiKey) -> None:
        """Note a successful call; the key use log decides when it is written."""
        now = self.clock.now()
        if api_keys.last_used_is_stale(key, now):
            self.key_uses.record(key.id, now)
