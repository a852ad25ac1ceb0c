"""Webhook subscriptions and the auto-disable rule.

After ``AUTO_DISABLE_AFTER`` consecutive failed attempts across any of its deliveries, a
subscription disables itself; a success resets the count. Re-enabling resets it too. Disabled,
it keeps receiving deliveries, held unattempted until it is enabled again.
"""

import enum
from datetime import datetime

import attrs

from itmj_domain.errors import InvalidInput

AUTO_DISABLE_AFTER = 10


class EventType(enum.Enum):
    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_STATUS_CHANGED = "application.status_changed"
    JOB_EXPIRED = "job.expired"
    # Sent only on request, to one subscription, so an admin can check a receiver.
    WEBHOOK_TEST = "webhook.test"


SUBSCRIBABLE = frozenset(EventType) - {EventType.WEBHOOK_TEST}


def _events(
    _instance: object, _attribute: "attrs.Attribute[frozenset[EventType]]",
    value: frozenset[EventType],
) -> None:
    if not value:
        raise InvalidInput("a subscription needs at least one event", field="events")
    if not value <= SUBSCRIBABLE:
        raise InvalidInput(
            f"{EventType.WEBHOOK_TEST.value} cannot be subscribed to: send it from the portal",
            field="events",
        )


@attrs.frozen
class Subscription:
    id: int
    employer_id: int
    url: str
    events: frozenset[EventType] = attrs.field(validator=_events)
    secret: str = attrs.field(repr=False)
    created_at: datetime
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_at: datetime | None = None

    def wants(self, event: EventType) -> bool:
        """Whether events of that type get a delivery to it. A disabled subscription still
        gets them, held until it is enabled again (SPEC §12): only deleting it drops them."""
        return event in self.events

    def enable(self) -> "Subscription":
        return attrs.evolve(self, enabled=True, consecutive_failures=0, disabled_at=None)

    def disable(self, now: datetime) -> "Subscription":
        if not self.enabled:
            return self
        return attrs.evolve(self, enabled=False, disabled_at=now)

    def rotate_secret(self, secret: str) -> "Subscription":
        return attrs.evolve(self, secret=secret)

    def record_success(self) -> "Subscription":
        return attrs.evolve(self, consecutive_failures=0)

    def record_failure(self, now: datetime) -> "Subscription":
        failures = self.consecutive_failures + 1
        changed = attrs.evolve(self, consecutive_failures=failures)
        if self.enabled and failures >= AUTO_DISABLE_AFTER:
            return changed.disable(now)
        return changed

    def auto_disabled_by(self, previous: "Subscription") -> bool:
        """Whether this state is the moment the failure rule switched it off."""
        return previous.enabled and not self.enabled
