"""Who is calling: a presented key resolves to an active key or to nobody.

The API's commonest call reads one job; ``admit`` can read it in the key's own lookup, so
that call costs one statement instead of two. The job is the key's employer's only, and is
handed over only with a key that may be used now.
"""

import attrs

from itmj_domain import api_keys
from itmj_domain.api_keys import ApiKey
from itmj_domain.clock import Clock
from itmj_domain.jobs import JobPost
from itmj_domain.ports import KeyUseLog, UnitOfWorkFactory
from itmj_domain.services.job_posting import found_job


@attrs.frozen
class JobRead:
    """Job ``job_id`` as the admitted key's employer has it, read with the key."""

    job_id: int
    job: JobPost | None

    def found(self) -> JobPost:
        return found_job(self.job, self.job_id)


@attrs.frozen
class Admission:
    """What a presented key comes to: the key when it may be used now, else None, and
    whether it is a real key that only waits for approval (which its holder may be told:
    the lookup is by the whole key's hash, so nobody without the key learns it)."""

    key: ApiKey | None
    pending: bool = False
    job_read: JobRead | None = None


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

    def admit(self, presented: str, job_id: int | None = None) -> Admission:
        """The key if it may be used now; otherwise nothing but whether it awaits approval.
        Unknown, revoked, expired and rejected keys are refused alike, after the same one
        lookup as a pending key. With ``job_id``, an admitted key comes with that job read
        for its employer (``job_read``).

        Nothing is cached: a revocation must hold on the very next request of every process.
        """
        if not api_keys.looks_like_key(presented):
            return _REFUSED
        key_hash = api_keys.hash_key(presented)
        with self.uow(read_only=True) as uow:
            if job_id is None:
                key, job = uow.api_keys.find_by_hash(key_hash), None
            else:
                key, job = uow.api_keys.find_by_hash_with_job(key_hash, job_id)
        if key is None:
            return _REFUSED
        now = self.clock.now()
        if key.authenticates(now):
            return Admission(key, job_read=None if job_id is None else JobRead(job_id, job))
        return Admission(None, pending=key.awaits_approval(now))

    def record_use(self, key: ApiKey) -> None:
        """Note a successful call; the key use log decides when it is written."""
        now = self.clock.now()
        if api_keys.last_used_is_stale(key, now):
            self.key_uses.record(key.id, now)
