"""Who is calling: a presented key resolves to an active key or to nobody."""

import attrs

from itmj_domain import api_keys
from itmj_domain.api_keys import ApiKey
from itmj_domain.clock import Clock
from itmj_domain.ports import KeyUseLog, UnitOfWorkFactory


@attrs.frozen
class Admission:
    """What a presented key comes to: the key when it may be used now, else None, and
    whether it is a real key that only waits for approval (which its holder may be told:
    the lookup is by the whole key's hash, so nobody without the key learns it)."""

    key: ApiKey | None
    pending: bool = False


_REFUSED = Admission(None)


@attrs.frozen
class Authenticator:
    uow: UnitOfWorkFactory
    clock: Clock
    key_uses: KeyUseLog

    def authenticate(self, presented: str) -> ApiKey | None:
        """The key, if it exists and may be used now; None for every other case alike, so
        callers cannot tell unknown, revoked, expired, pending and rejected keys apart."""
        return self.admit(presented).key

    def admit(self, presented: str) -> Admission:
        """The key if it may be used now; otherwise nothing but whether it awaits approval.
        Unknown, revoked, expired and rejected keys are refused alike, after the same one
        lookup as a pending key.

        Nothing is cached: a revocation must hold on the very next request of every process.
        """
        if not api_keys.looks_like_key(presented):
            return _REFUSED
        with self.uow(read_only=True) as uow:
            key = uow.api_keys.find_by_hash(api_keys.hash_key(presented))
        if key is None:
            return _REFUSED
        now = self.clock.now()
        if key.authenticates(now):
            return Admission(key)
        return Admission(None, pending=key.awaits_approval(now))

    def record_use(self, key: ApiKey) -> None:
        """Note a successful call; the key use log decides when it is written."""
        now = self.clock.now()
        if api_keys.last_used_is_stale(key, now):
            self.key_uses.record(key.id, now)
