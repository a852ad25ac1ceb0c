"""Infrastructure: what the processes need to run together — buffered key uses, health probes,
the periodic leader and the metrics the use cases count.
"""

from datetime import datetime
from typing import Protocol

from itmj_domain.credits import CreditKind
from itmj_domain.webhooks.deliveries import DeliveryOutcome


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


class Metrics(Protocol):
    """What the use cases count for the operators. Called after the unit of work commits, so
    a rolled-back debit counts nothing; a refusal counts when it is raised."""

    def credits_debited(self, kind: CreditKind, amount: int) -> None: ...
    def payment_refused(self, kind: CreditKind) -> None:
        """A paid action was refused for want of credits (a 402)."""
        ...

    def candidate_unlocked(self) -> None: ...
    def delivery_attempted(self, outcome: DeliveryOutcome) -> None: ...
    def dead_lettered(self) -> None: ...
    def subscription_disabled(self) -> None: ...


class _NoMetrics:
    """Counts nothing: the use cases' default, and what serves when metrics are off."""

    def credits_debited(self, kind: CreditKind, amount: int) -> None:
        pass

    def payment_refused(self, kind: CreditKind) -> None:
        pass

    def candidate_unlocked(self) -> None:
        pass

    def delivery_attempted(self, outcome: DeliveryOutcome) -> None:
        pass

    def dead_lettered(self) -> None:
        pass

    def subscription_disabled(self) -> None:
        pass


NO_METRICS: Metrics = _NoMetrics()
