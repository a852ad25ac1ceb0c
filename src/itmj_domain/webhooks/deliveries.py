"""One event on its way to one subscription, across all its attempts.

A delivery keeps one id for its whole life, sent as ``X-Webhook-Delivery-Id`` on every attempt
so receivers can drop duplicates. Dead letters are kept and can be replayed.
"""

import enum
import uuid
from datetime import datetime
from typing import Literal

import attrs

from itmj_domain.errors import InvalidState
from itmj_domain.webhooks.retry_policy import RetryPolicy
from itmj_domain.webhooks.targets import TARGET_NOT_ALLOWED

MAX_ERROR_LENGTH = 500
# The reason a sender gives for an attempt that ran out of time.
TIMED_OUT = "timed out"
# What one attempt came to, as the metrics count it.
DeliveryOutcome = Literal["success", "http_error", "timeout", "refused_target", "network_error"]


class DeliveryStatus(enum.Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


@attrs.frozen
class Delivery:
    id: str
    subscription_id: int
    event_id: str
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_attempt_at: datetime | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    # The HTTP status the receiver answered the last attempt with; None when it never
    # answered (refused, timed out) or nothing was attempted yet.
    last_status_code: int | None = None

    @classmethod
    def new(cls, subscription_id: int, event_id: str, now: datetime) -> "Delivery":
        """A delivery due at once, with a fresh id."""
        return cls(f"dlv_{uuid.uuid4().hex}", subscription_id, event_id, now, now)

    def is_due(self, now: datetime) -> bool:
        return self.status is DeliveryStatus.PENDING and self.next_attempt_at <= now

    def succeeded(self, now: datetime, status_code: int | None = None) -> "Delivery":
        self._require_pending()
        return attrs.evolve(
            self,
            status=DeliveryStatus.DELIVERED,
            attempts=self.attempts + 1,
            last_attempt_at=now,
            delivered_at=now,
            last_error=None,
            last_status_code=status_code,
        )

    def failed(self, now: datetime, error: str, policy: RetryPolicy,
               status_code: int | None = None) -> "Delivery":
        self._require_pending()
        attempts = self.attempts + 1
        delay = policy.delay_after(attempts)
        if delay is None:
            status, next_attempt_at = DeliveryStatus.DEAD, self.next_attempt_at
        else:
            status, next_attempt_at = self.status, now + delay
        return attrs.evolve(
            self,
            status=status,
            next_attempt_at=next_attempt_at,
            attempts=attempts,
            last_attempt_at=now,
            last_error=error[:MAX_ERROR_LENGTH],
            last_status_code=status_code,
        )

    def redeliver(self, now: datetime) -> "Delivery":
        """Replay a dead letter (or a delivered one) from the first attempt, same id."""
        if self.status is DeliveryStatus.PENDING:
            raise InvalidState("the delivery is still pending")
        return attrs.evolve(
            self, status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now,
            delivered_at=None,
        )

    def _require_pending(self) -> None:
        if self.status is not DeliveryStatus.PENDING:
            raise InvalidState(f"the delivery is {self.status.value}")


@attrs.frozen
class AttemptOutcome:
    """What one POST to a target came to: success is any 2xx in time."""

    status_code: int | None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def category(self) -> DeliveryOutcome:
        """What the attempt came to, as the metrics count it."""
        if self.succeeded:
            return "success"
        if self.status_code is not None:
            return "http_error"
        if self.error == TIMED_OUT:
            return "timeout"
        if self.error == TARGET_NOT_ALLOWED:
            return "refused_target"
        return "network_error"

    def describe(self) -> str:
        if self.error is not None:
            return self.error
        return f"HTTP {self.status_code}"
