"""Infrastructure: what the processes need to run together — buffered key uses, health probes
and the periodic leader.
"""

from datetime import datetime
from typing import Protocol


class KeyUseLog(Protocol):
    """Where the uses of API keys go, to become their ``lastUsedAt``. An adapter may hold
    them back and write them together (at most about once a second, SPEC §3)."""

    def record(self, key_id: int, at: datetime) -> None: ...
    def flush(self) -> None:
        """Write every use recorded so far now."""
        ...


class HealthProbe(Protocol):
    @property
    def name(self) -> str:
        """What the probe checks, as the health report names it."""
        ...

    def check(self) -> None:
        """Return when the dependency answers; raise any exception when it does not."""
        ...


class LeaderLock(Protocol):
    """Makes sure exactly one periodic process does the periodic work at a time."""

    def hold(self) -> bool:
        """Take or renew leadership; True while this process leads."""
        ...

    def release(self) -> None: ...
